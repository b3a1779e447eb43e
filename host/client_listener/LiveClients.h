#pragma once
// The rport clients connected to this server right now, by client id, and
// the way to reach one from any thread: work is posted to the event loop
// that owns the client's connection and runs there only if the session is
// still alive. The registry (clients/) says who is known; this says who is
// on the line.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "net/ConnectionSet.h"

namespace rportd::client_listener {

class ClientSession;

class LiveClients {
public:
    struct Entry {
        net::ConnectionRef connection;
        ClientSession* session = nullptr;
        std::weak_ptr<void> alive;  // expires when the session ends (loop thread)
        uint64_t registryConnection = 0;
    };

    void add(const std::string& clientId, Entry entry);
    // Removes the entry only if it still belongs to `session` (a resumed
    // connection may have replaced it).
    void remove(const std::string& clientId, const ClientSession* session);

    // Runs f on the client's loop if it is connected and still alive there.
    // False when no such client is connected now.
    bool post(std::string_view clientId, std::function<void(ClientSession&)> f) const;
    // Ends the client's connection if it is the one the registry names.
    void close(std::string_view clientId, uint64_t registryConnection) const;

    size_t size() const;

private:
    mutable std::mutex _mutex;
    std::unordered_map<std::string, Entry> _entries;
};

}  // namespace rportd::client_listener
