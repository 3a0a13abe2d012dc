using Siprec.Recording.Dialogs;

namespace Siprec.Recording;

/// <summary>What <see cref="FailoverHost.Open"/> gave: a dialog to invite, none (URI in use), or stopped.</summary>
/// <param name="Dialog">The standby dialog; null when none was made.</param>
/// <param name="Stopped">The recording no longer records: the failover ends.</param>
internal readonly record struct StandbyOpening(RecordingDialog? Dialog, bool Stopped);
