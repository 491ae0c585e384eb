namespace SeqLens.Sequences.Simulation;

/// <summary>A simulated data set: task names (label column order) and the sequences.</summary>
public sealed record SimulationResult(IReadOnlyList<string> TaskNames, IReadOnlyList<SimulatedSequence> Sequences);
