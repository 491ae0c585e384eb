namespace SeqLens.Sequences.Simulation;

/// <summary>
/// Everything that defines a simulated data set except its size and seed: background, classes (cycled through
/// in order, so classes are equally frequent), tasks, default length, and whether motifs may go on the minus strand.
/// </summary>
/// <param name="Name">Preset or design name.</param>
/// <param name="Background">Background generator.</param>
/// <param name="Classes">Classes; sequence i belongs to class i mod count.</param>
/// <param name="Tasks">Label columns.</param>
/// <param name="DefaultLength">Sequence length when none is given.</param>
/// <param name="BothStrands">True: each instance goes on + or - with probability 1/2; false: + only.</param>
public sealed record SimulationDesign(
    string Name,
    IBackgroundModel Background,
    IReadOnlyList<SimulationClass> Classes,
    IReadOnlyList<SimulationTask> Tasks,
    int DefaultLength,
    bool BothStrands);
