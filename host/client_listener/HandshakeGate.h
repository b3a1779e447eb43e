#pragma once
// max_concurrent_ssh_handshakes: at most that many credential checks (the
// expensive part of a handshake: bcrypt, a database round trip) run at once;
// the others wait their turn in arrival order. The original's semaphore
// covered the whole SSH handshake, network waits included, so a few peers
// that stall mid-handshake kept every other client out; here a slot is held
// only while a check runs. A waiting connection costs no CPU and keeps its
// place until its ticket is dropped.
//
// Thread-safe. A ticket belongs to one connection; dropping it (the check
// finished, or the connection ended) frees the slot, so a slot can never
// leak, whichever thread ends the connection.
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

namespace rportd::client_listener {

class HandshakeGate {
public:
    class Ticket;
    // Called, from whichever thread frees a slot, when a waiting ticket gets
    // one; it must only post to the ticket owner's loop.
    using Wake = std::function<void()>;

    explicit HandshakeGate(size_t slots) : _slots(slots == 0 ? 1 : slots) {}

    // A ticket that either holds a slot now (granted()) or waits; `wake` is
    // called once when it is granted later.
    std::unique_ptr<Ticket> enter(Wake wake);

    size_t waiting() const;
    size_t inUse() const;

private:
    void leave(Ticket& ticket);

    const size_t _slots;
    mutable std::mutex _mutex;
    size_t _inUse = 0;
    std::list<Ticket*> _queue;
};

class HandshakeGate::Ticket {
public:
    ~Ticket() { _gate.leave(*this); }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    // Reads the state the gate wrote under its lock; call on the owner's
    // thread after enter() or after the wake was delivered.
    bool granted() const;

private:
    friend class HandshakeGate;
    Ticket(HandshakeGate& gate, Wake wake) : _gate(gate), _wake(std::move(wake)) {}
    HandshakeGate& _gate;
    Wake _wake;
    bool _granted = false;
    bool _queued = false;
    std::list<Ticket*>::iterator _position;
};

}  // namespace rportd::client_listener
