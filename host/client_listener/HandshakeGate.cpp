#include "client_listener/HandshakeGate.h"

namespace rportd::client_listener {

std::unique_ptr<HandshakeGate::Ticket> HandshakeGate::enter(Wake wake) {
    std::unique_ptr<Ticket> ticket(new Ticket(*this, std::move(wake)));
    std::lock_guard<std::mutex> lock(_mutex);
    if (_inUse < _slots && _queue.empty()) {
        ++_inUse;
        ticket->_granted = true;
    } else {
        ticket->_position = _queue.insert(_queue.end(), ticket.get());
        ticket->_queued = true;
    }
    return ticket;
}

void HandshakeGate::leave(Ticket& ticket) {
    Wake wake;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (ticket._queued) {
            _queue.erase(ticket._position);
            ticket._queued = false;
            return;
        }
        if (!ticket._granted) return;
        ticket._granted = false;
        if (_queue.empty()) {
            --_inUse;
            return;
        }
        // The slot passes straight to the next in line.
        Ticket* next = _queue.front();
        _queue.pop_front();
        next->_queued = false;
        next->_granted = true;
        wake = next->_wake;
    }
    if (wake) wake();
}

bool HandshakeGate::Ticket::granted() const {
    std::lock_guard<std::mutex> lock(_gate._mutex);
    return _granted;
}

size_t HandshakeGate::waiting() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _queue.size();
}

size_t HandshakeGate::inUse() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _inUse;
}

}  // namespace rportd::client_listener
