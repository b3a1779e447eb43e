#include "ssh/ServerConnection.h"

#include <chrono>

#include "ssh/HostKey.h"
#include "ssh/SshMessages.h"
#include "ssh/SshWire.h"

namespace rportd::ssh {
namespace {

// RFC 4253 §4.2: the identification line is at most 255 bytes with CR LF.
constexpr size_t kMaxVersionLine = 255;
// Input beyond one packet that may wait while a password is being checked.
constexpr size_t kInputSlack = 64 * 1024;
constexpr size_t kMaxUserName = 1024;
constexpr size_t kMaxPassword = 4096;
constexpr size_t kMaxName = 256;

std::string messageOnly(uint8_t type) { return std::string(1, static_cast<char>(type)); }

}  // namespace

ServerConnection::ServerConnection(const HostKey& hostKey, ServerSettings settings, Events& events)
    : _hostKey(hostKey),
      _settings(std::move(settings)),
      _events(events),
      _packets(_settings.maxPacketLength) {
    _lastKexAt = now();
}

ServerConnection::~ServerConnection() = default;

int64_t ServerConnection::now() const {
    if (_settings.clock) return _settings.clock();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void ServerConnection::receive(std::string_view bytes) {
    if (_ended) return;
    if (!_versionDone) {
        size_t room = kMaxVersionLine - _versionInput.size();
        size_t newline = bytes.substr(0, room).find('\n');
        if (newline == std::string_view::npos) {
            if (bytes.size() >= room) return end("identification line too long", true);
            _versionInput.append(bytes);
            return;
        }
        _versionInput.append(bytes.substr(0, newline + 1));
        bytes.remove_prefix(newline + 1);
        if (!readVersion()) return;
    }
    _packets.append(bytes);
    if (_packets.buffered() > _settings.maxPacketLength + kInputSlack)
        return fail(kProtocolError, "peer sent too much without waiting for an answer");
    pump();
}

bool ServerConnection::readVersion() {
    std::string line = std::move(_versionInput);
    _versionInput.clear();
    line.pop_back();  // '\n'
    if (!line.empty() && line.back() == '\r') line.pop_back();
    bool printable = true;
    for (char c : line) printable = printable && c >= ' ' && c <= '~';
    if (line.rfind("SSH-", 0) != 0 || !printable) {
        end("peer did not send an SSH identification line", true);
        return false;
    }
    _clientVersion = line;
    bool standard = line.rfind("SSH-2.0-", 0) == 0 || line.rfind("SSH-1.99-", 0) == 0;
    _serverVersion = standard ? _settings.standardVersion : _settings.rportVersion;
    _versionDone = true;
    _events.send(_serverVersion + "\r\n");
    startKex();
    return true;
}

void ServerConnection::pump() {
    if (_pumping) return;
    _pumping = true;
    try {
        std::string payload;
        while (!_ended && !_passwordPending && _packets.next(payload)) {
            ++_packetsReceived;
            dispatch(payload);
            if (!_ended && _firstKexDone && !_kexInitSent &&
                _packets.bytesIn() > _settings.rekeyAfterBytes)
                startKex();
        }
    } catch (const ProtocolError& e) {
        fail(e.reason, e.what());
    } catch (const WireError& e) {
        fail(kProtocolError, std::string("malformed message: ") + e.what());
    } catch (const std::exception& e) {
        fail(kByApplication, std::string("internal error: ") + e.what());
    }
    _pumping = false;
}

void ServerConnection::dispatch(std::string& payload) {
    uint8_t type = static_cast<uint8_t>(payload[0]);
    bool kexMessage = type == kKexInit || type == kKexEcdhInit || type == kNewKeys;
    // Strict key exchange (OpenSSH's answer to the Terrapin attack): nothing
    // but key-exchange messages until the first NEWKEYS.
    if (_strict && !_firstKexDone && !kexMessage)
        throw ProtocolError(kProtocolError,
                            "message " + std::to_string(type) + " during strict key exchange");
    switch (type) {
        case kDisconnect: {
            WireReader r(payload);
            r.byte();
            r.uint32();
            std::string description(r.string(kMaxName * 4));
            return end("peer disconnected: " + description, false);
        }
        case kIgnore:
        case kDebug:
        case kUnimplemented:
            return;
        case kKexInit:
            return onKexInit(payload);
        case kKexEcdhInit:
            return onEcdhInit(payload);
        case kNewKeys:
            return onNewKeys();
        default:
            break;
    }
    if (!_firstKexDone || _kexInitReceived)
        throw ProtocolError(kProtocolError,
                            "message " + std::to_string(type) + " during key exchange");
    if (type == kServiceRequest) return onServiceRequest(payload);
    if (type == kUserauthRequest) return onUserauthRequest(payload);
    if (type >= kGlobalRequest && type <= kChannelFailure) {
        if (!_authenticated)
            throw ProtocolError(kProtocolError, "connection message before authentication");
        if (type == kGlobalRequest) return onGlobalRequest(payload);
        if (type == kRequestSuccess || type == kRequestFailure)
            return onRequestReply(type == kRequestSuccess, std::string_view(payload).substr(1));
        if (type == kChannelOpen) return onChannelOpen(payload);
        return onChannelMessage(type, payload);
    }
    if (type < kGlobalRequest && type != kUserauthRequest && type >= kServiceAccept &&
        type <= kUserauthSuccess + 1)
        throw ProtocolError(kProtocolError,
                            "client sent server-only message " + std::to_string(type));
    // RFC 4253 §11.4: unknown messages are answered, not fatal.
    writePacket(WireWriter().byte(kUnimplemented).uint32(_packets.incomingSequence() - 1).take());
}

// ---- key exchange ----

void ServerConnection::startKex() {
    _serverKexInit = buildServerKexInit(!_firstKexDone);
    _kexInitSent = true;
    writePacket(_serverKexInit);
}

void ServerConnection::onKexInit(std::string& payload) {
    if (_kexInitReceived)
        throw ProtocolError(kProtocolError, "second KEXINIT during a key exchange");
    bool initial = !_firstKexDone;
    _chosen = negotiate(payload, initial);
    if (initial) {
        _strict = _chosen.strict;
        if (_strict && _packetsReceived != 1)
            throw ProtocolError(kProtocolError,
                                "strict key exchange: KEXINIT was not the first packet");
    }
    _clientKexInit = std::move(payload);
    _kexInitReceived = true;
    _dropNextKexPacket = _chosen.wrongGuessFollows;
    if (!_kexInitSent) startKex();
}

void ServerConnection::onEcdhInit(std::string_view payload) {
    if (!_kexInitReceived || _newKeysSent)
        throw ProtocolError(kProtocolError, "unexpected KEX_ECDH_INIT");
    if (_dropNextKexPacket) {
        _dropNextKexPacket = false;
        return;
    }
    WireReader r(payload);
    r.byte();
    std::string_view clientPublic = r.string(1024);
    r.expectEnd("KEX_ECDH_INIT");
    EcdhExchange::Inputs inputs{_clientVersion, _serverVersion, _clientKexInit, _serverKexInit};
    _exchange = std::make_unique<EcdhExchange>(_chosen, _hostKey, inputs, clientPublic);
    if (_sessionId.empty()) _sessionId = _exchange->exchangeHash();
    writePacket(_exchange->reply());
    writePacket(messageOnly(kNewKeys));
    _packets.setOutgoingCipher(_exchange->outgoingCipher(_sessionId));
    if (_strict) _packets.resetOutgoingSequence();
    _newKeysSent = true;
    // What the application sent meanwhile goes out under the new keys.
    while (!_heldDuringKex.empty()) {
        std::string held = std::move(_heldDuringKex.front());
        _heldDuringKex.pop_front();
        writePacket(held);
    }
}

void ServerConnection::onNewKeys() {
    if (!_newKeysSent || !_exchange)
        throw ProtocolError(kProtocolError, "NEWKEYS before the key exchange reply");
    _packets.setIncomingCipher(_exchange->incomingCipher(_sessionId));
    if (_strict) _packets.resetIncomingSequence();
    _exchange.reset();
    _clientKexInit.clear();
    _clientKexInit.shrink_to_fit();
    _serverKexInit.clear();
    _serverKexInit.shrink_to_fit();
    _kexInitSent = _kexInitReceived = _newKeysSent = false;
    _firstKexDone = true;
    ++_keyExchanges;
    _packets.clearByteCounts();
    _lastKexAt = now();
}

void ServerConnection::rekeyIfDue() {
    if (_ended || !_firstKexDone || _kexInitSent || _kexInitReceived) return;
    bool bytesSpent = _packets.bytesIn() > _settings.rekeyAfterBytes ||
                      _packets.bytesOut() > _settings.rekeyAfterBytes;
    if (bytesSpent || now() - _lastKexAt >= _settings.rekeyAfterMillis) startKex();
}

// ---- authentication ----

void ServerConnection::onServiceRequest(std::string_view payload) {
    WireReader r(payload);
    r.byte();
    std::string_view service = r.string(kMaxName);
    r.expectEnd("SERVICE_REQUEST");
    if (service != "ssh-userauth" || _userauthAccepted)
        throw ProtocolError(kServiceNotAvailable, "service not available: " + std::string(service));
    _userauthAccepted = true;
    sendPacket(WireWriter().byte(kServiceAccept).string(service).take());
}

void ServerConnection::onUserauthRequest(std::string_view payload) {
    if (!_userauthAccepted)
        throw ProtocolError(kProtocolError, "authentication before the service request");
    if (_authenticated) return;  // RFC 4252 §5.1: later requests are ignored
    WireReader r(payload);
    r.byte();
    std::string_view user = r.string(kMaxUserName);
    std::string_view service = r.string(kMaxName);
    std::string_view method = r.string(kMaxName);
    if (service != "ssh-connection")
        throw ProtocolError(kServiceNotAvailable, "service not available: " + std::string(service));
    if (method == "password") {
        bool changing = r.boolean();
        std::string_view password = r.string(kMaxPassword);
        if (!changing) {
            r.expectEnd("USERAUTH_REQUEST");
            _user.assign(user);
            _passwordPending = true;
            _events.onPasswordAttempt(user, password);
            return;
        }
    }
    // "none" (clients probe with it first), a password change or another
    // method: password is all there is.
    sendPacket(WireWriter().byte(kUserauthFailure).nameList({"password"}).boolean(false).take());
}

void ServerConnection::answerPassword(bool accepted) {
    if (!_passwordPending || _ended) return;
    _passwordPending = false;
    if (accepted) {
        _authenticated = true;
        sendPacket(messageOnly(kUserauthSuccess));
    } else if (++_authFailures >= _settings.maxAuthAttempts) {
        return disconnect(kNoMoreAuthMethodsAvailable, "too many authentication failures");
    } else {
        sendPacket(
            WireWriter().byte(kUserauthFailure).nameList({"password"}).boolean(false).take());
    }
    pump();
}

// ---- global requests ----

void ServerConnection::onGlobalRequest(std::string_view payload) {
    WireReader r(payload);
    r.byte();
    std::string_view name = r.string(kMaxName);
    bool wantReply = r.boolean();
    std::string_view data = r.raw(r.remaining());
    if (wantReply) ++_globalRepliesOwed;
    _events.onGlobalRequest(name, wantReply, data);
}

void ServerConnection::answerGlobalRequest(bool success, std::string_view payload) {
    if (_ended || _globalRepliesOwed == 0) return;
    --_globalRepliesOwed;
    // RFC 4254 gives REQUEST_FAILURE no data, but Go's x/crypto/ssh sends
    // and reads some there: the rport client shows it as the reason its
    // connection request was refused, as the original server sends it.
    sendPacket(WireWriter().byte(success ? kRequestSuccess : kRequestFailure).raw(payload).take());
}

void ServerConnection::sendGlobalRequest(std::string_view name, std::string_view payload,
                                         ReplyCallback onReply) {
    if (_ended) return;
    bool wantReply = static_cast<bool>(onReply);
    sendPacket(
        WireWriter().byte(kGlobalRequest).string(name).boolean(wantReply).raw(payload).take());
    if (wantReply) _awaitingReplies.push_back(std::move(onReply));
}

void ServerConnection::onRequestReply(bool success, std::string_view payload) {
    if (_awaitingReplies.empty())
        throw ProtocolError(kProtocolError, "reply to a request that was never sent");
    ReplyCallback callback = std::move(_awaitingReplies.front());
    _awaitingReplies.pop_front();
    callback(success, payload);
}

// ---- channels ----

Channel* ServerConnection::openChannel(std::string_view type, std::string_view extraData,
                                       ChannelHandler& handler) {
    if (!_authenticated || _ended || _channels.size() >= _settings.maxChannels) return nullptr;
    while (_channels.count(_nextChannelId)) ++_nextChannelId;
    uint32_t id = _nextChannelId++;
    std::unique_ptr<Channel> channel(
        new Channel(*this, id, handler, _settings.channelWindow, _settings.channelMaxPacket));
    Channel* raw = channel.get();
    _channels.emplace(id, std::move(channel));
    sendPacket(WireWriter()
                   .byte(kChannelOpen)
                   .string(type)
                   .uint32(id)
                   .uint32(_settings.channelWindow)
                   .uint32(_settings.channelMaxPacket)
                   .raw(extraData)
                   .take());
    return raw;
}

void ServerConnection::onChannelOpen(std::string_view payload) {
    WireReader r(payload);
    r.byte();
    std::string type(r.string(kMaxName));
    uint32_t senderId = r.uint32();
    // The rport client never opens channels towards the server; refuse any.
    sendPacket(WireWriter()
                   .byte(kChannelOpenFailure)
                   .uint32(senderId)
                   .uint32(kUnknownChannelType)
                   .string("channel type not supported: " + type.substr(0, 64))
                   .string("")
                   .take());
}

Channel& ServerConnection::channelFor(uint32_t localId) {
    auto it = _channels.find(localId);
    if (it == _channels.end())
        throw ProtocolError(kProtocolError,
                            "message for unknown channel " + std::to_string(localId));
    return *it->second;
}

void ServerConnection::onChannelMessage(uint8_t type, std::string_view payload) {
    WireReader r(payload);
    r.byte();
    Channel& channel = channelFor(r.uint32());
    bool opening = channel._state == Channel::State::Opening;
    if (opening != (type == kChannelOpenConfirmation || type == kChannelOpenFailure))
        throw ProtocolError(kProtocolError,
                            "channel message " + std::to_string(type) + " out of order");
    switch (type) {
        case kChannelOpenConfirmation: {
            channel._remoteId = r.uint32();
            channel._remoteWindow = r.uint32();
            channel._remoteMaxPacket = r.uint32();
            if (channel._remoteMaxPacket == 0)
                throw ProtocolError(kProtocolError, "channel maximum packet size 0");
            channel._state = Channel::State::Open;
            if (channel._closeRequested) return channel.close();
            channel._handler.onOpened(channel);
            return;
        }
        case kChannelOpenFailure: {
            uint32_t reason = r.uint32();
            std::string description(r.string(kMaxName * 4));
            auto owned = std::move(_channels[channel._localId]);
            _channels.erase(channel._localId);
            owned->_state = Channel::State::Closed;
            owned->_handler.onOpenFailed(reason, description);
            return;
        }
        case kChannelWindowAdjust: {
            uint64_t grown = channel._remoteWindow + r.uint32();
            if (grown > UINT32_MAX)
                throw ProtocolError(kProtocolError, "channel window grew past 2^32-1");
            channel._remoteWindow = grown;
            if (channel._state == Channel::State::Open) channel._handler.onWritable(channel);
            return;
        }
        case kChannelData:
        case kChannelExtendedData: {
            if (type == kChannelExtendedData) r.uint32();
            std::string_view data = r.string();
            r.expectEnd("CHANNEL_DATA");
            if (data.size() > channel._localWindow)
                throw ProtocolError(kProtocolError, "peer overran the channel window");
            if (data.size() > channel._localMaxPacket)
                throw ProtocolError(kProtocolError,
                                    "channel data larger than the maximum packet size");
            if (channel._closeReceived)
                throw ProtocolError(kProtocolError, "channel data after CLOSE");
            channel._localWindow -= static_cast<uint32_t>(data.size());
            // Extended data (stderr) has no meaning for rport; what arrives
            // after we closed is dropped. Both still count against the window.
            if (type == kChannelData && channel._state == Channel::State::Open)
                channel._handler.onData(channel, data);
            else
                channel.consumed(data.size());
            return;
        }
        case kChannelEof:
            if (channel._state == Channel::State::Open) channel._handler.onEof(channel);
            return;
        case kChannelClose:
            channel._closeReceived = true;
            if (!channel._closeSent) sendChannelClose(channel);
            return finishClose(channel);
        case kChannelRequest: {
            r.string(kMaxName);
            if (r.boolean())
                sendPacket(WireWriter().byte(kChannelFailure).uint32(channel._remoteId).take());
            return;
        }
        default:  // CHANNEL_SUCCESS / FAILURE: we never ask
            return;
    }
}

void ServerConnection::finishClose(Channel& channel) {
    auto owned = std::move(_channels[channel._localId]);
    _channels.erase(channel._localId);
    owned->_state = Channel::State::Closed;
    owned->_handler.onClosed(*owned);
}

void ServerConnection::sendChannelData(Channel& channel, std::string_view bytes) {
    sendPacket(WireWriter().byte(kChannelData).uint32(channel._remoteId).string(bytes).take());
}

void ServerConnection::sendWindowAdjust(Channel& channel, uint32_t increment) {
    sendPacket(
        WireWriter().byte(kChannelWindowAdjust).uint32(channel._remoteId).uint32(increment).take());
}

void ServerConnection::sendChannelEof(Channel& channel) {
    sendPacket(WireWriter().byte(kChannelEof).uint32(channel._remoteId).take());
}

void ServerConnection::sendChannelClose(Channel& channel) {
    channel._closeSent = true;
    sendPacket(WireWriter().byte(kChannelClose).uint32(channel._remoteId).take());
}

// ---- output and the end ----

void ServerConnection::sendPacket(std::string_view payload) {
    if (_ended) return;
    // RFC 4253 §7.1: between our KEXINIT and our NEWKEYS only key-exchange
    // messages may leave; the rest waits and goes out under the new keys.
    if (_kexInitSent && !_newKeysSent) {
        _heldDuringKex.emplace_back(payload);
        return;
    }
    writePacket(payload);
}

void ServerConnection::writePacket(std::string_view payload) {
    _events.send(_packets.seal(payload));
    if (_firstKexDone && !_kexInitSent && !_kexInitReceived &&
        _packets.bytesOut() > _settings.rekeyAfterBytes)
        startKex();
}

void ServerConnection::fail(uint32_t reason, const std::string& text) {
    // The peer broke the protocol: it hears why, and the application hears
    // that it was a violation (disconnect() would report an orderly end).
    if (_ended) return;
    sendDisconnect(reason, text);
    end(text, true);
}

void ServerConnection::disconnect(uint32_t reason, std::string_view text) {
    if (_ended) return;
    sendDisconnect(reason, text);
    end(text, false);
}

void ServerConnection::sendDisconnect(uint32_t reason, std::string_view text) {
    if (!_versionDone) return;
    try {
        writePacket(WireWriter().byte(kDisconnect).uint32(reason).string(text).string("").take());
    } catch (const std::exception&) {
        // Nothing more to tell a peer we cannot even frame a packet for.
    }
}

void ServerConnection::end(std::string_view reason, bool violation) {
    if (_ended) return;
    _ended = true;
    _heldDuringKex.clear();
    auto channels = std::move(_channels);
    _channels.clear();
    for (auto& [id, channel] : channels) {
        bool wasOpening = channel->_state == Channel::State::Opening;
        channel->_state = Channel::State::Closed;
        if (wasOpening)
            channel->_handler.onOpenFailed(kConnectFailed, "connection ended");
        else
            channel->_handler.onClosed(*channel);
    }
    auto replies = std::move(_awaitingReplies);
    _awaitingReplies.clear();
    for (auto& callback : replies) callback(false, {});
    _events.onEnded(reason, violation);
}

}  // namespace rportd::ssh
