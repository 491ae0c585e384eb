namespace SeqLens.Attribution;

/// <summary>How an <see cref="AttributionTarget"/> over several tasks combines them.</summary>
public enum TaskAggregation
{
    /// <summary>The sum of the tasks' scores.</summary>
    Sum,

    /// <summary>The mean of the tasks' scores.</summary>
    Mean,
}
