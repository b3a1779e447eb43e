#pragma once
// The server side of one SSH connection, sans-IO: bytes from the peer go in
// through receive(), bytes for the peer come out through Events::send, and
// everything the application decides (is this password right, what does this
// global request answer) comes back through the answer* calls, possibly
// later, from the same thread. Nothing here blocks or owns a socket, which is
// what lets the client listener run thousands of these on one event loop and
// lets tests and the fuzzer drive it with plain strings.
//
// Scope is what rport needs and nothing more: password authentication,
// global requests both ways, channels both ways with window flow control,
// re-keying, strict key exchange. Sessions, shells, port-forwarding requests
// and other authentication methods are refused.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "ssh/Channel.h"
#include "ssh/KeyExchange.h"
#include "ssh/PacketLayer.h"

namespace rportd::ssh {

class HostKey;

struct ServerSettings {
    // What rport clients (identification "SSH-rport-...") are told, as the
    // original server says it; standard clients ("SSH-2.0-...") get a
    // standard line, since OpenSSH refuses anything else.
    std::string rportVersion = "SSH-rport-v1-server";
    std::string standardVersion = "SSH-2.0-rportd";
    uint32_t maxPacketLength = PacketLayer::kDefaultMaxPacketLength;
    uint64_t rekeyAfterBytes = uint64_t(1) << 30;
    int64_t rekeyAfterMillis = 3600 * 1000;
    int maxAuthAttempts = 6;  // Go's default, so clients see the same limit
    uint32_t channelWindow = 2 * 1024 * 1024;
    uint32_t channelMaxPacket = 32 * 1024;
    size_t maxChannels = 4096;
    // Milliseconds on a monotonic clock, for time-based re-keying.
    std::function<int64_t()> clock;
};

class ServerConnection {
public:
    class Events {
    public:
        virtual ~Events() = default;
        // Bytes for the peer, in order.
        virtual void send(std::string&& bytes) = 0;
        // A password to check; answer with answerPassword().
        virtual void onPasswordAttempt(std::string_view user, std::string_view password) = 0;
        // A global request; when wantReply, answer with answerGlobalRequest(),
        // in the order the requests came.
        virtual void onGlobalRequest(std::string_view name, bool wantReply,
                                     std::string_view payload) = 0;
        // The connection is over: the peer said goodbye, broke the protocol
        // (`protocolViolation`: we sent DISCONNECT saying why), or
        // disconnect() was called.
        // The application closes the transport after flushing what was sent.
        virtual void onEnded(std::string_view reason, bool protocolViolation) = 0;
    };

    ServerConnection(const HostKey& hostKey, ServerSettings settings, Events& events);
    ~ServerConnection();
    ServerConnection(const ServerConnection&) = delete;
    ServerConnection& operator=(const ServerConnection&) = delete;

    void receive(std::string_view bytes);
    // Input that arrived but waits for an answer (password check): the
    // transport should stop reading while this is true.
    bool waitingForApplication() const { return _passwordPending; }

    void answerPassword(bool accepted);
    void answerGlobalRequest(bool success, std::string_view payload = {});

    // A global request to the client; `onReply` (may be empty: no reply
    // wanted) gets the answer, or success=false with no payload when the
    // connection ends first.
    using ReplyCallback = std::function<void(bool success, std::string_view payload)>;
    void sendGlobalRequest(std::string_view name, std::string_view payload, ReplyCallback onReply);

    // Opens a channel to the client. The handler hears onOpened or
    // onOpenFailed. Returns nullptr (and the handler hears nothing) when the
    // connection is not authenticated, ended, or at its channel limit.
    Channel* openChannel(std::string_view type, std::string_view extraData,
                         ChannelHandler& handler);

    // Ends the connection with DISCONNECT (reason code, text).
    void disconnect(uint32_t reason, std::string_view text);
    // Starts a key exchange now if the byte or time budget is spent; the
    // application calls it from a periodic timer so idle connections re-key too.
    void rekeyIfDue();

    bool authenticated() const { return _authenticated; }
    bool ended() const { return _ended; }
    const std::string& user() const { return _user; }
    const std::string& clientVersion() const { return _clientVersion; }
    // Completed key exchanges, the first one included.
    uint64_t keyExchanges() const { return _keyExchanges; }

private:
    friend class Channel;

    void pump();
    bool readVersion();
    void dispatch(std::string& payload);
    void onKexInit(std::string& payload);
    void onEcdhInit(std::string_view payload);
    void onNewKeys();
    void onServiceRequest(std::string_view payload);
    void onUserauthRequest(std::string_view payload);
    void onGlobalRequest(std::string_view payload);
    void onRequestReply(bool success, std::string_view payload);
    void onChannelOpen(std::string_view payload);
    void onChannelMessage(uint8_t type, std::string_view payload);
    Channel& channelFor(uint32_t localId);
    void finishClose(Channel& channel);

    void startKex();
    void sendPacket(std::string_view payload);  // queued during a key exchange
    void writePacket(std::string_view payload);
    void fail(uint32_t reason, const std::string& text);
    void sendDisconnect(uint32_t reason, std::string_view text);
    void end(std::string_view reason, bool violation);
    int64_t now() const;

    // Channel's outgoing side.
    void sendChannelData(Channel& channel, std::string_view bytes);
    void sendWindowAdjust(Channel& channel, uint32_t increment);
    void sendChannelEof(Channel& channel);
    void sendChannelClose(Channel& channel);

    const HostKey& _hostKey;
    ServerSettings _settings;
    Events& _events;
    PacketLayer _packets;

    std::string _versionInput;  // bytes of the identification line so far
    std::string _clientVersion;
    std::string _serverVersion;
    bool _versionDone = false;

    // Key exchange state.
    bool _firstKexDone = false;
    bool _kexInitSent = false;
    bool _kexInitReceived = false;
    bool _newKeysSent = false;
    bool _strict = false;
    bool _dropNextKexPacket = false;
    uint64_t _packetsReceived = 0;
    std::string _serverKexInit;
    std::string _clientKexInit;
    Negotiated _chosen;
    std::unique_ptr<EcdhExchange> _exchange;
    std::string _sessionId;
    int64_t _lastKexAt = 0;
    uint64_t _keyExchanges = 0;
    std::deque<std::string> _heldDuringKex;

    // Authentication.
    bool _userauthAccepted = false;
    bool _passwordPending = false;
    bool _authenticated = false;
    int _authFailures = 0;
    std::string _user;

    // Connection protocol.
    size_t _globalRepliesOwed = 0;
    std::deque<ReplyCallback> _awaitingReplies;  // requests we sent with want-reply
    std::map<uint32_t, std::unique_ptr<Channel>> _channels;
    uint32_t _nextChannelId = 0;

    bool _pumping = false;
    bool _ended = false;
};

}  // namespace rportd::ssh
