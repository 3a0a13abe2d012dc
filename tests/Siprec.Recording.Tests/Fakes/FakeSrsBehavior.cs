namespace Siprec.Recording.Tests.Fakes;

/// <summary>How a <see cref="FakeSrs"/> answers the initial INVITE.</summary>
public enum FakeSrsBehavior
{
    Accept,
    Reject486,
    Silent,
    AcceptLate,
}
