namespace SeqLens.Sequences.Simulation;

/// <summary>A label column of a simulation: a task name and the rule over motif presence that sets it to 1.</summary>
public sealed record SimulationTask(string Name, LabelRule Rule);
