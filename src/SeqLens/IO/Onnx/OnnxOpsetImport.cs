namespace SeqLens.IO.Onnx;

/// <summary>One <c>OperatorSetIdProto</c>: the operator-set version a model uses for a domain.</summary>
/// <param name="Domain">The operator domain; empty (or <c>ai.onnx</c>) for the default ONNX operators.</param>
/// <param name="Version">The opset version, e.g. 11 or 13.</param>
public sealed record OnnxOpsetImport(string Domain, long Version);
