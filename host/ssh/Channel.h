#pragma once
// One SSH channel (RFC 4254 §5) as the server side sees it: the windows in
// both directions and the close handshake. The connection owns channels;
// the application reaches one through the handler it gave when opening it.
#include <cstdint>
#include <string_view>

namespace rportd::ssh {

class Channel;
class ServerConnection;

// What the application does with a channel. Every call comes from the
// connection; the handler must outlive the channel (until onClosed or
// onOpenFailed, the last call either way).
class ChannelHandler {
public:
    virtual ~ChannelHandler() = default;
    virtual void onOpened(Channel&) = 0;
    virtual void onOpenFailed(uint32_t reason, std::string_view description) = 0;
    // Data from the peer. The window shrinks by its size and reopens only as
    // the application reports it consumed (Channel::consumed): that is the
    // flow control holding memory flat behind a slow reader.
    virtual void onData(Channel&, std::string_view bytes) = 0;
    // The peer's window grew: send() accepts more.
    virtual void onWritable(Channel&) {}
    virtual void onEof(Channel&) {}
    virtual void onClosed(Channel&) = 0;
};

class Channel {
public:
    uint32_t id() const { return _localId; }
    bool isOpen() const { return _state == State::Open; }

    // Sends as much of `bytes` as the peer's window allows; returns how much.
    size_t send(std::string_view bytes);
    size_t sendWindow() const { return _remoteWindow; }
    // The application has handed on `count` bytes that onData delivered.
    void consumed(size_t count);
    void sendEof();
    // Starts the close handshake; onClosed follows when the peer answers.
    void close();

private:
    friend class ServerConnection;
    enum class State { Opening, Open, Closing, Closed };

    Channel(ServerConnection& connection, uint32_t localId, ChannelHandler& handler,
            uint32_t localWindow, uint32_t localMaxPacket)
        : _connection(connection),
          _handler(handler),
          _localId(localId),
          _localWindow(localWindow),
          _initialLocalWindow(localWindow),
          _localMaxPacket(localMaxPacket) {}

    ServerConnection& _connection;
    ChannelHandler& _handler;
    State _state = State::Opening;
    uint32_t _localId;
    uint32_t _remoteId = 0;
    uint64_t _remoteWindow = 0;
    uint32_t _remoteMaxPacket = 0;
    uint32_t _localWindow;  // what the peer may still send
    uint32_t _initialLocalWindow;
    uint32_t _localMaxPacket;
    uint64_t _unacknowledged = 0;  // consumed but not yet returned with WINDOW_ADJUST
    bool _eofSent = false;
    bool _closeSent = false;
    bool _closeReceived = false;
    bool _closeRequested = false;  // close() while opening: CLOSE once confirmed
};

}  // namespace rportd::ssh
