namespace SeqLens.IO.Hdf5;

/// <summary>The typed readers shared by datasets and attributes.</summary>
internal static class Hdf5Values
{
    public static string[] Strings(Hdf5File file, byte[] raw, Hdf5DataType type, long count, string what, long at)
    {
        if (type.Class == Hdf5TypeClass.String)
        {
            return ElementConverter.FixedStrings(raw, type, count);
        }

        if (type.IsVariableLengthString)
        {
            return file.VariableLengthStrings(raw, type, count, at);
        }

        throw new InvalidOperationException($"{what} holds {type}, not strings.");
    }

    public static void CheckNumeric(Hdf5DataType type, string what)
    {
        var t = type.Numeric;
        if (t.Class is not (Hdf5TypeClass.FixedPoint or Hdf5TypeClass.FloatingPoint))
        {
            throw new InvalidOperationException($"{what} holds {type}, not numbers.");
        }
    }
}
