#include "ssh/Channel.h"

#include <algorithm>

#include "ssh/ServerConnection.h"

namespace rportd::ssh {

size_t Channel::send(std::string_view bytes) {
    if (_state != State::Open || _eofSent || _closeSent) return 0;
    size_t accepted = std::min<uint64_t>(bytes.size(), _remoteWindow);
    size_t piece = std::min<size_t>(_remoteMaxPacket, _localMaxPacket);
    for (size_t offset = 0; offset < accepted; offset += piece)
        _connection.sendChannelData(*this,
                                    bytes.substr(offset, std::min(piece, accepted - offset)));
    _remoteWindow -= accepted;
    return accepted;
}

void Channel::consumed(size_t count) {
    _unacknowledged += count;
    if (_state != State::Open || _closeSent) return;
    // The window is returned only once the peer has used half of it: one
    // WINDOW_ADJUST per half window, and the sender never stalls meanwhile.
    if (_localWindow > _initialLocalWindow / 2) return;
    uint64_t room = uint64_t(_initialLocalWindow) - _localWindow;
    uint64_t increment = std::min<uint64_t>(_unacknowledged, room);
    if (increment == 0) return;
    _localWindow += static_cast<uint32_t>(increment);
    _unacknowledged -= increment;
    _connection.sendWindowAdjust(*this, static_cast<uint32_t>(increment));
}

void Channel::sendEof() {
    if (_state != State::Open || _eofSent || _closeSent) return;
    _eofSent = true;
    _connection.sendChannelEof(*this);
}

void Channel::close() {
    if (_state == State::Opening) {
        _closeRequested = true;  // CLOSE needs the peer's channel number
        return;
    }
    if (_state != State::Open || _closeSent) return;
    _state = State::Closing;
    _connection.sendChannelClose(*this);
}

}  // namespace rportd::ssh
