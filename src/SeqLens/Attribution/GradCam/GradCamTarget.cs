namespace SeqLens.Attribution.GradCam;

/// <summary>
/// What Grad-CAM explains: the logit of output task <see cref="Task"/> of the graph's first output, or with
/// <see cref="Contrast"/> the difference <c>logit[Task] − logit[Contrast]</c>.
/// </summary>
/// <param name="Task">Index of the task (last axis of the output).</param>
/// <param name="Contrast">Optional task to subtract.</param>
public readonly record struct GradCamTarget(int Task, int? Contrast = null);
