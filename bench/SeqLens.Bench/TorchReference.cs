using System.Diagnostics;
using System.Globalization;

namespace SeqLens.Bench;

/// <summary>Runs tools/bench/torch_kernels.py (PyTorch 1.13 on the same shapes) and collects its medians.</summary>
internal static class TorchReference
{
    /// <summary>Medians keyed by (case, op, threads), or null with a reason when PyTorch cannot run.</summary>
    public static (Dictionary<(string Case, string Op, int Threads), double>? Results, string Note) Run(
        string suite, IReadOnlyList<int> threads, int repeats, string? filter)
    {
        var args = new List<string> { suite, "--threads", string.Join(',', threads), "--repeats", repeats.ToString(CultureInfo.InvariantCulture) };
        if (filter is not null)
        {
            args.Add("--filter");
            args.Add(filter);
        }

        return RunScript("torch_kernels.py", args);
    }

    /// <summary>
    /// Runs <c>tools/bench/<paramref name="scriptName"/></c> with <paramref name="arguments"/>. The script prints
    /// <c>TORCH\tversion</c> once and <c>RESULT\tcase\top\tthreads\tmedian_ms</c> per measurement; exit code 3 means
    /// no torch module.
    /// </summary>
    public static (Dictionary<(string Case, string Op, int Threads), double>? Results, string Note) RunScript(
        string scriptName, IEnumerable<string> arguments)
    {
        string? script = FindScript(scriptName);
        if (script is null)
        {
            return (null, $"tools/bench/{scriptName} not found (run from the repository).");
        }

        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (null, $"{python} could not start ({ex.Message}); no PyTorch column.");
        }

        if (process is null)
        {
            return (null, $"{python} could not start; no PyTorch column.");
        }

        using (process)
        {
            var stderrTask = process.StandardError.ReadToEndAsync();
            var results = new Dictionary<(string, string, int), double>();
            string? line;
            string version = "?";
            while ((line = process.StandardOutput.ReadLine()) is not null)
            {
                string[] f = line.Split('\t');
                if (f.Length == 5 && f[0] == "RESULT")
                {
                    results[(f[1], f[2], int.Parse(f[3], CultureInfo.InvariantCulture))] = double.Parse(f[4], CultureInfo.InvariantCulture);
                }
                else if (f.Length == 2 && f[0] == "TORCH")
                {
                    version = f[1];
                }
                else
                {
                    Console.WriteLine(line);
                }
            }

            process.WaitForExit();
            string stderr = stderrTask.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                string reason = process.ExitCode == 3 ? "python3 has no torch module" : $"exit code {process.ExitCode}: {stderr.Trim()}";
                return (null, $"PyTorch reference not run ({reason}).");
            }

            return (results, $"PyTorch {version} via {python} {Path.GetFileName(script)}");
        }
    }

    private static string? FindScript(string scriptName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tools", "bench", scriptName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
