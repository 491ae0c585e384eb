namespace SeqLens.IO.Gtf;

/// <summary>Attribute syntax of an annotation file.</summary>
public enum AnnotationDialect
{
    /// <summary>Decide from a <c>##gff-version 3</c> line, the file extension, or the first attribute column.</summary>
    Auto = 0,

    /// <summary>GTF (GFF2.5): <c>key "value"; key value;</c>.</summary>
    Gtf = 1,

    /// <summary>GFF3: <c>key=value;key=v1,v2</c> with percent-encoding.</summary>
    Gff3 = 2,
}
