// RFC 3264 §5 (generating an offer), §6 and §6.1 (generating an answer for unicast RTP streams),
// §7 (the offerer processing the answer); payload types per RFC 3551, DTMF per RFC 4733 §2.
using System.Net;

namespace Telephony.Sip.Sdp;

/// <summary>
/// One-shot offer/answer for a single audio stream. <see cref="OfferAnswerSession"/> builds on it for the
/// re-offers of a dialog.
/// </summary>
public static class OfferAnswer
{
    /// <summary>Used when the peer's SDP has no a=ptime: RFC 3551 §4.5 makes 20 ms the default for G.711/G.722.</summary>
    public const int DefaultPtime = 20;

    /// <summary>
    /// Answers an offer: the first usable RTP/AVP audio stream gets the first codec of OUR preference list that
    /// the offer contains, with the offer's payload numbers; every other stream is refused with port 0 and keeps
    /// its place (RFC 3264 §6). On failure the caller answers 488.
    /// </summary>
    public static AnswerResult Answer(SessionDescription offer, LocalMedia local)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(local);

        var answer = NewDescription(local);
        NegotiatedMedia? negotiated = null;
        string? reason = null;

        for (var index = 0; index < offer.MediaDescriptions.Count; index++)
        {
            var media = offer.MediaDescriptions[index];
            if (negotiated is null && IsUsableAudio(media))
            {
                var choice = ChooseFromOffer(offer, media, index, local);
                if (choice.Negotiated is { } chosen)
                {
                    negotiated = chosen;
                    answer.MediaDescriptions.Add(AudioSection(local, chosen, media));
                    continue;
                }
                reason ??= choice.Reason;
            }
            answer.MediaDescriptions.Add(Refused(media));
        }

        if (negotiated is null)
            return AnswerResult.Failed(reason ?? "the offer has no RTP/AVP audio stream we can use");
        return AnswerResult.Succeeded(answer, negotiated);
    }

    /// <summary>
    /// Our offer: one RTP/AVP audio stream with all our codecs in preference order plus telephone-event
    /// (RFC 3264 §5.1). Used for the 200 to an INVITE without SDP and for our own INVITEs.
    /// </summary>
    public static SessionDescription CreateOffer(LocalMedia local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var offer = NewDescription(local);
        var audio = new MediaDescription { Media = "audio", Port = local.RtpPort, Protocol = "RTP/AVP" };
        foreach (var codec in local.Codecs)
        {
            audio.Formats.Add(codec.PayloadType.ToString());
            // rtpmap even for static types: harmless, and some devices only trust what is spelled out.
            audio.Attributes.Add(new SdpAttribute("rtpmap", codec.ToRtpMapValue()));
        }
        if (local.TelephoneEventPayloadType is { } te)
            AddTelephoneEvent(audio, AudioCodec.TelephoneEvent.WithPayloadType(te));
        audio.Ptime = local.Ptime;
        audio.Direction = local.Direction;
        offer.MediaDescriptions.Add(audio);
        return offer;
    }

    /// <summary>
    /// Checks the peer's answer to our offer (RFC 3264 §6: same m= lines in the same order; §6.1: only formats we
    /// offered) and returns what was agreed. On failure the caller ends the session (RFC 3261 §13.2.2.4 sends a
    /// BYE after ACKing a 2xx whose answer is unacceptable).
    /// </summary>
    public static AnswerResult AcceptAnswer(SessionDescription ourOffer, SessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(ourOffer);
        ArgumentNullException.ThrowIfNull(answer);

        if (answer.MediaDescriptions.Count != ourOffer.MediaDescriptions.Count)
            return AnswerResult.Failed(
                $"the answer has {answer.MediaDescriptions.Count} m= lines but our offer had {ourOffer.MediaDescriptions.Count}");
        for (var i = 0; i < answer.MediaDescriptions.Count; i++)
        {
            if (!answer.MediaDescriptions[i].Media.Equals(ourOffer.MediaDescriptions[i].Media, StringComparison.OrdinalIgnoreCase))
                return AnswerResult.Failed($"m= line {i + 1} of the answer is {answer.MediaDescriptions[i].Media}, we offered {ourOffer.MediaDescriptions[i].Media}");
        }

        var index = ourOffer.MediaDescriptions.FindIndex(IsUsableAudio);
        if (index < 0)
            return AnswerResult.Failed("our offer has no RTP/AVP audio stream");
        var offered = ourOffer.MediaDescriptions[index];
        var media = answer.MediaDescriptions[index];
        if (media.Port == 0)
            return AnswerResult.Failed("the answer refused the audio stream (port 0)");
        if (!media.Protocol.Equals(offered.Protocol, StringComparison.OrdinalIgnoreCase))
            return AnswerResult.Failed($"the answer changed the audio transport to {media.Protocol}");

        var ourCodecs = offered.GetCodecs().ToList();
        AudioCodec? codec = null;
        AudioCodec? telephoneEvent = null;
        foreach (var format in media.Formats)
        {
            if (!media.TryGetCodec(format, out var answered))
                return AnswerResult.Failed($"the answer's payload type {format} has no rtpmap and is not static");
            if (!ourCodecs.Any(c => c.IsSameFormat(answered)))
                return AnswerResult.Failed($"the answer's {answered} (payload type {format}) was not in our offer");
            // The answerer lists formats in its order of preference (RFC 3264 §6.1): its first codec is the one.
            if (answered.IsTelephoneEvent)
                telephoneEvent ??= answered;
            else
                codec ??= answered;
        }
        if (codec is null)
            return AnswerResult.Failed("the answer has no audio codec, only telephone-event");
        if (telephoneEvent is not null && telephoneEvent.ClockRate != codec.ClockRate)
            telephoneEvent = null;

        if (!TryRemoteEndpoint(answer, media, out var remote, out var problem))
            return AnswerResult.Failed(problem!);
        var direction = answer.EffectiveDirection(media).Mirror().Intersect(ourOffer.EffectiveDirection(offered));
        var ptime = SendPtime(media, DefaultPtime);
        return AnswerResult.Succeeded(answer,
            new NegotiatedMedia(index, codec, telephoneEvent?.PayloadType, remote, direction, ptime));
    }

    internal static bool IsUsableAudio(MediaDescription media) => media.IsRtpAvpAudio && media.Port != 0;

    private static (NegotiatedMedia? Negotiated, string? Reason) ChooseFromOffer(
        SessionDescription offer, MediaDescription media, int index, LocalMedia local)
    {
        var offered = media.GetCodecs().ToList();
        AudioCodec? codec = null;
        foreach (var ours in local.Codecs)
        {
            codec = offered.FirstOrDefault(c => !c.IsTelephoneEvent && c.IsSameFormat(ours));
            if (codec is not null)
                break;
        }
        if (codec is null)
        {
            var theirs = offered.Count == 0 ? string.Join(' ', media.Formats) : string.Join(", ", offered.Select(c => c.ToString()));
            return (null, $"no codec in common: the offer has {theirs}; we take {string.Join(", ", local.Codecs.Select(c => c.ToString()))}");
        }

        // RFC 4733 events are timed with the RTP clock of the audio they go with, so only a matching one will do.
        var telephoneEvent = local.TelephoneEventPayloadType is null
            ? null
            : offered.FirstOrDefault(c => c.IsTelephoneEvent && c.ClockRate == codec.ClockRate);

        if (!TryRemoteEndpoint(offer, media, out var remote, out var problem))
            return (null, problem);
        var direction = offer.EffectiveDirection(media).Mirror().Intersect(local.Direction);
        var ptime = SendPtime(media, local.Ptime);
        return (new NegotiatedMedia(index, codec, telephoneEvent?.PayloadType, remote, direction, ptime), null);
    }

    /// <summary>The peer's a=ptime is what it wants to receive; a=maxptime caps whatever we would send.</summary>
    private static int SendPtime(MediaDescription media, int fallback)
    {
        var ptime = media.Ptime ?? fallback;
        if (media.MaxPtime is { } max && max < ptime)
            ptime = max;
        return ptime;
    }

    private static bool TryRemoteEndpoint(SessionDescription sdp, MediaDescription media, out IPEndPoint? remote, out string? problem)
    {
        remote = null;
        problem = null;
        var connection = sdp.EffectiveConnection(media);
        if (connection is null)
        {
            problem = "the audio stream has no c= line, neither its own nor a session-level one";
            return false;
        }
        var address = connection.TryGetIPAddress();
        if (address is null)
        {
            // RFC 4566 allows a host name here; resolving it would block negotiation on DNS, and no phone does it.
            problem = $"the audio connection address \"{connection.Address}\" is not an IP address";
            return false;
        }
        if (!connection.IsUnspecified)
            remote = new IPEndPoint(address, media.Port);
        return true;
    }

    private static MediaDescription AudioSection(LocalMedia local, NegotiatedMedia chosen, MediaDescription offered)
    {
        var audio = new MediaDescription { Media = offered.Media, Port = local.RtpPort, Protocol = offered.Protocol };
        // One codec only: a peer that may switch codecs per packet is a needless source of trouble (RFC 3264 §6.1
        // allows the answerer any subset). The offer's number and spelling are kept so the offerer recognises it.
        audio.Formats.Add(chosen.Codec.PayloadType.ToString());
        audio.Attributes.Add(new SdpAttribute("rtpmap", chosen.Codec.ToRtpMapValue()));
        if (offered.GetFmtp(chosen.Codec.PayloadType.ToString()) is { Length: > 0 } fmtp)
            audio.Attributes.Add(new SdpAttribute("fmtp", $"{chosen.Codec.PayloadType} {fmtp}"));
        if (chosen.TelephoneEventPayloadType is { } te)
            AddTelephoneEvent(audio, AudioCodec.TelephoneEvent.WithPayloadType(te) with { ClockRate = chosen.Codec.ClockRate });
        audio.Ptime = local.Ptime;
        audio.Direction = chosen.Direction;
        return audio;
    }

    private static void AddTelephoneEvent(MediaDescription audio, AudioCodec telephoneEvent)
    {
        audio.Formats.Add(telephoneEvent.PayloadType.ToString());
        audio.Attributes.Add(new SdpAttribute("rtpmap", telephoneEvent.ToRtpMapValue()));
        audio.Attributes.Add(new SdpAttribute("fmtp", $"{telephoneEvent.PayloadType} {AudioCodec.TelephoneEventRange}"));
    }

    /// <summary>RFC 3264 §6: a refused stream keeps its m= line with port 0; its formats are echoed for the grammar.</summary>
    private static MediaDescription Refused(MediaDescription offered)
    {
        var refused = new MediaDescription { Media = offered.Media, Port = 0, Protocol = offered.Protocol };
        refused.Formats.AddRange(offered.Formats);
        return refused;
    }

    private static SessionDescription NewDescription(LocalMedia local)
    {
        var connection = ConnectionData.For(local.Address);
        var sdp = new SessionDescription
        {
            Origin = new Origin(local.Username, local.SessionId.ToString(), local.SessionVersion,
                "IN", connection.AddressType, connection.Address),
            SessionName = "-",
            Connection = connection,
        };
        sdp.Timings.Add(new Timing(0, 0));
        return sdp;
    }
}
