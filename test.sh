#!/usr/bin/env bash
# The test command (README): builds everything with warnings as errors and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build SeqLens.slnx -c Release -warnaserror -nologo -v q
dotnet test tests/SeqLens.Tests/SeqLens.Tests.csproj -c Release --no-build -nologo --logger "console;verbosity=normal"
