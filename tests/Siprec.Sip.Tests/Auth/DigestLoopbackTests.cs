using System.Net;
using Siprec.Sip.Auth;
using Siprec.Sip.Messages;
using Siprec.Sip.Tests.Transactions;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Auth;

/// <summary>A 401 challenge answered with digest credentials, over UDP on 127.0.0.1 between two transaction layers (RFC 3261 §22.2).</summary>
public sealed class DigestLoopbackTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private const string Realm = "srs.test";
    private const string Password = "rec0rd-me";

    /// <summary>The SRS side: challenges requests without credentials, checks the SHA-256 digest of those with.</summary>
    private static Task Authenticate(ServerTransaction tx)
    {
        var request = tx.Request;
        var authorization = request.GetHeader("Authorization");
        if (authorization is null)
        {
            return tx.RespondAsync(SipResponse.CreateFor(request, 401, toTag: "s")
                .AddHeader("WWW-Authenticate", $"Digest realm=\"{Realm}\", nonce=\"abc123\", qop=\"auth\", algorithm=SHA-256")).AsTask();
        }
        Assert.True(DigestChallenge.TryParseParameters(authorization, out var p, out _));
        var expected = DigestAuthenticator.ComputeResponse(DigestAlgorithm.Sha256, p["username"], Realm, Password, request.Method, p["uri"],
            p["nonce"], p["nc"], p["cnonce"], p["qop"]);
        var status = p["response"] == expected && p["uri"] == request.RequestUri.ToString() ? 200 : 403;
        return tx.RespondAsync(SipResponse.CreateFor(request, status, toTag: "s")).AsTask();
    }

    private static async Task<TransactionOutcome> SendWithCredentials(DigestCredentials credentials)
    {
        var serverUser = new RecordingUser { OnRequest = Authenticate };
        await using var server = new TransactionLayer(new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)), serverUser, TimeProvider.System, new SipTransactionOptions());
        await using var client = new TransactionLayer(new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)), new RecordingUser(), TimeProvider.System, new SipTransactionOptions());
        server.Start();
        client.Start();
        var request = ClientTransactionTests.NewRequest(SipMethods.Options);
        var first = await client.SendRequestAsync(request, server.Transport.LocalEndPoint).WaitAsync(Wait);
        Assert.Equal(401, first.StatusCode);
        Assert.True(DigestAuthenticator.TryAuthorize(first.Response!, request, credentials, 1, "0a4f113b", out var header, out var error), error);
        var retry = request.SetHeader("CSeq", "2 OPTIONS").AddHeader(header.Name, header.Value);
        return await client.SendRequestAsync(retry, server.Transport.LocalEndPoint).WaitAsync(Wait);
    }

    [Fact]
    public async Task Challenge401_AnsweredWithTheRightPassword_Gets200()
    {
        var outcome = await SendWithCredentials(new DigestCredentials("src", Password, Realm));
        Assert.Equal(200, outcome.StatusCode);
    }

    [Fact]
    public async Task Challenge401_AnsweredWithAWrongPassword_Gets403()
    {
        var outcome = await SendWithCredentials(new DigestCredentials("src", "wrong", Realm));
        Assert.Equal(403, outcome.StatusCode);
    }
}
