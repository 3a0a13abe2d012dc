namespace Siprec.FlowNode.Descriptors;

/// <summary>
/// Finds mistakes a designer UI would trip over in a descriptor: duplicate or unknown keys, form rows and
/// sections naming missing fields, conditions on unknown fields or values, a select default that is not an option.
/// </summary>
public static class DescriptorCheck
{
    /// <summary>Every problem found, one line each naming the node, the member and the value; empty when the descriptor is sound.</summary>
    public static IReadOnlyList<string> Problems(NodeDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var problems = new List<string>();
        var prefix = $"node '{descriptor.Type}'";
        if (string.IsNullOrWhiteSpace(descriptor.Type)) problems.Add("node type is empty");

        var fields = new Dictionary<string, NodeField>(StringComparer.Ordinal);
        foreach (var field in descriptor.Fields)
        {
            if (!fields.TryAdd(field.Key, field)) problems.Add($"{prefix}: field key '{field.Key}' is used twice");
            if (!NodeFieldTypes.All.Contains(field.Type, StringComparer.Ordinal)) problems.Add($"{prefix}: field '{field.Key}' has unknown type '{field.Type}'");
        }
        foreach (var field in descriptor.Fields) CheckField(prefix, field, fields, problems);

        var sections = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in descriptor.Sections)
        {
            if (!sections.Add(section.Key)) problems.Add($"{prefix}: section key '{section.Key}' is used twice");
            foreach (var key in section.Fields.Where(k => !fields.ContainsKey(k))) problems.Add($"{prefix}: section '{section.Key}' names unknown field '{key}'");
        }
        foreach (var row in descriptor.Form)
        {
            var known = row.Type switch
            {
                NodeFormElement.FieldType => fields.ContainsKey(row.Key),
                NodeFormElement.SectionType => sections.Contains(row.Key),
                _ => false,
            };
            if (!known) problems.Add($"{prefix}: form row {row.Type} '{row.Key}' names nothing the descriptor defines");
        }
        var shown = descriptor.Form.Where(r => r.Type == NodeFormElement.FieldType).Select(r => r.Key)
            .Concat(descriptor.Sections.Where(s => descriptor.Form.Any(r => r.Type == NodeFormElement.SectionType && r.Key == s.Key)).SelectMany(s => s.Fields))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var key in fields.Keys.Where(k => !shown.Contains(k))) problems.Add($"{prefix}: field '{key}' is not on the form");
        if (descriptor.Preview is { } preview && !fields.ContainsKey(preview.Key)) problems.Add($"{prefix}: preview names unknown field '{preview.Key}'");
        return problems;
    }

    private static void CheckField(string prefix, NodeField field, Dictionary<string, NodeField> fields, List<string> problems)
    {
        var options = field.Params?.Options;
        if (field.Type == NodeFieldTypes.Select)
        {
            if (options is null || options.Count == 0) problems.Add($"{prefix}: select field '{field.Key}' has no options");
            else if (field.DefaultValue is not null && !options.Any(o => o.Value == field.DefaultValue.ToString()))
            {
                problems.Add($"{prefix}: select field '{field.Key}' defaults to '{field.DefaultValue}', which is not one of its options");
            }
        }
        if (field.Condition is not { } condition) return;
        if (condition.Key == field.Key) problems.Add($"{prefix}: field '{field.Key}' has a condition on itself");
        else if (!fields.TryGetValue(condition.Key, out var target)) problems.Add($"{prefix}: field '{field.Key}' has a condition on unknown field '{condition.Key}'");
        else if (target.Params?.Options is { } targetOptions && !targetOptions.Any(o => o.Value == condition.Value))
        {
            problems.Add($"{prefix}: field '{field.Key}' has a condition on '{condition.Key}' = '{condition.Value}', which is not one of its options");
        }
    }
}
