#include "net/ConnectionSet.h"

#include <vector>

namespace rportd::net {

ConnectionSet::~ConnectionSet() {
    // The loop has stopped: nothing else can reach these any more.
    auto left = std::move(_connections);
    for (auto& [id, connection] : left) {
        (void)id;
        delete connection;
        _open.fetch_sub(1, std::memory_order_relaxed);
    }
}

Connection* ConnectionSet::create(std::unique_ptr<Transport> transport, Peer peer,
                                  const FlowLimits& limits) {
    const uint64_t id = _nextId++;
    auto* connection =
        new Connection(_loop, *this, id, std::move(transport), std::move(peer), limits);
    _connections.emplace(id, connection);
    _open.fetch_add(1, std::memory_order_relaxed);
    return connection;
}

void ConnectionSet::remove(Connection* connection) {
    if (_connections.erase(connection->id()) == 0) return;
    delete connection;
    _open.fetch_sub(1, std::memory_order_relaxed);
}

Connection* ConnectionSet::find(uint64_t id) const {
    auto it = _connections.find(id);
    return it == _connections.end() ? nullptr : it->second;
}

void ConnectionSet::requestShutdown() {
    // By id: a session that closes at once removes itself while we walk.
    std::vector<uint64_t> ids;
    ids.reserve(_connections.size());
    for (const auto& entry : _connections) ids.push_back(entry.first);
    for (uint64_t id : ids) {
        if (Connection* connection = find(id)) {
            connection->runGuarded([](Connection& c) {
                if (c.closing()) return;
                if (Session* session = c.session()) {
                    session->onShutdownRequested(c);
                } else {
                    c.abort();
                }
            });
        }
    }
}

void ConnectionSet::abortAll() {
    std::vector<uint64_t> ids;
    ids.reserve(_connections.size());
    for (const auto& entry : _connections) ids.push_back(entry.first);
    for (uint64_t id : ids) {
        if (Connection* connection = find(id)) connection->abort();
    }
}

ConnectionRef::ConnectionRef(Connection& connection) : _set(nullptr), _id(connection.id()) {
    _set = connection.setForRef();
}

void ConnectionRef::post(std::function<void(Connection&)> f) const {
    if (!_set) return;
    ConnectionSet* set = _set;
    const uint64_t id = _id;
    set->loop().post([set, id, f = std::move(f)] {
        if (Connection* connection = set->find(id)) connection->runGuarded(f);
    });
}

}  // namespace rportd::net
