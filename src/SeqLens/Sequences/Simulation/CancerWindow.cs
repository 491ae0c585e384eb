namespace SeqLens.Sequences.Simulation;

/// <summary>
/// One simulated window: name (<c>chr:start-end</c>, 1-based closed genome coordinates of the reference window of
/// <see cref="Sequence"/>'s length starting at <see cref="SourceStart"/>), class (tumour or normal), the sequence,
/// the 0-based record position of its first source base, whether it was drawn to overlap a target gene, and its
/// planted mutations in order.
/// </summary>
public sealed record CancerWindow(string Name, bool Tumour, string Sequence, long SourceStart, bool DrawnOnTarget, IReadOnlyList<CancerMutation> Mutations);
