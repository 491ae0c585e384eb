namespace SeqLens.Attribution.GradCam;

/// <summary>
/// Grad-CAM for a batch, ready for npz: <see cref="Cam"/> <c>(N, Lnode)</c> at the node's resolution,
/// <see cref="Nucleotide"/> <c>(N, L)</c> mapped through the <see cref="Field"/>, channel <see cref="Weights"/> <c>(N, C)</c>,
/// and with the guided option <see cref="Guided"/> <c>(N, 4, L)</c>.
/// </summary>
/// <param name="Cam">Σ_c w_c·A_c per node position (after the optional ReLU), <c>(N, Lnode)</c>.</param>
/// <param name="Nucleotide">Per nucleotide: mean (or max) of the cam over node positions whose field covers it; 0 where none does. <c>(N, L)</c>.</param>
/// <param name="Weights">Channel weights w_c, <c>(N, C)</c>.</param>
/// <param name="Guided">Nucleotide cam × gradient × input, <c>(N, channels, L)</c>, or null.</param>
/// <param name="Field">The node's receptive field.</param>
public sealed record GradCamResult(Tensor Cam, Tensor Nucleotide, Tensor Weights, Tensor? Guided, ReceptiveField Field);
