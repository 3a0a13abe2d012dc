namespace Siprec.Control.Tests;

public sealed class CustomHeaderPolicyTests
{
    // Every compact form of RFC 3261 §7.3.3 and the IANA registry, with the header it stands for.
    public static TheoryData<string, string> CompactForms => new()
    {
        { "a", "Accept-Contact" }, { "b", "Referred-By" }, { "c", "Content-Type" }, { "d", "Request-Disposition" },
        { "e", "Content-Encoding" }, { "f", "From" }, { "i", "Call-ID" }, { "j", "Reject-Contact" }, { "k", "Supported" },
        { "l", "Content-Length" }, { "m", "Contact" }, { "o", "Event" }, { "r", "Refer-To" }, { "s", "Subject" }, { "t", "To" },
        { "u", "Allow-Events" }, { "v", "Via" }, { "x", "Session-Expires" }, { "y", "Identity" },
    };

    [Theory]
    [MemberData(nameof(CompactForms))]
    public void ACompactForm_IsReadAsItsFullName_InEitherCase_AndRefused(string compact, string full)
    {
        Assert.Equal(full, CustomHeaderPolicy.FullName(compact));
        Assert.Equal(full, CustomHeaderPolicy.FullName(compact.ToUpperInvariant()));
        Assert.False(CustomHeaderPolicy.IsAllowed(compact));
        Assert.False(CustomHeaderPolicy.IsAllowed(compact.ToUpperInvariant()));
        Assert.Contains($"the compact form of {full}", CustomHeaderPolicy.Refusal(compact), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Via")]
    [InlineData("call-id")]
    [InlineData("CSeq")]
    [InlineData("Contact")]
    [InlineData("Max-Forwards")]
    [InlineData("Require")]
    [InlineData("Proxy-Require")]
    [InlineData("P-Asserted-Identity")]
    [InlineData("P-Preferred-Identity")]
    [InlineData("Route")]
    [InlineData("Authorization")]
    [InlineData("Session-Expires")]
    [InlineData("X-")]
    [InlineData("X-a b")]
    [InlineData("")]
    public void AHeaderTheStackOwnsOrThatIsNotAnXName_IsRefused(string name)
    {
        Assert.False(CustomHeaderPolicy.IsAllowed(name));
        Assert.NotNull(CustomHeaderPolicy.Refusal(name));
    }

    [Theory]
    [InlineData("X-Tenant")]
    [InlineData("x-customer-id")]
    [InlineData("User-to-User")]
    [InlineData("call-info")]
    [InlineData("Organization")]
    public void AnXNameOrOneOfTheShortList_IsAllowed(string name)
    {
        Assert.True(CustomHeaderPolicy.IsAllowed(name));
        Assert.Null(CustomHeaderPolicy.Refusal(name));
    }
}
