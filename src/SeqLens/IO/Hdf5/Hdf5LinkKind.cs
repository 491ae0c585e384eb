namespace SeqLens.IO.Hdf5;

/// <summary>The kind of a link from a group to an object.</summary>
public enum Hdf5LinkKind
{
    /// <summary>Points at an object header in this file.</summary>
    Hard = 0,

    /// <summary>A path (absolute, or relative to the group), resolved when followed; may dangle.</summary>
    Soft = 1,

    /// <summary>An object in another file (not followed by this reader).</summary>
    External = 64,
}
