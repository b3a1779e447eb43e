#include "clients/ClientRegistry.h"

#include <algorithm>

namespace rportd::clients {

void ClientRegistry::add(ClientRecord record) {
    std::lock_guard<std::mutex> g(_mutex);
    _clients.push_back(std::move(record));
}

size_t ClientRegistry::countBoundTo(std::string_view clientAuthId) const {
    std::lock_guard<std::mutex> g(_mutex);
    return static_cast<size_t>(std::count_if(_clients.begin(), _clients.end(),
                                             [&](const ClientRecord& c) { return c.clientAuthId == clientAuthId; }));
}

size_t ClientRegistry::removeBoundTo(std::string_view clientAuthId) {
    std::lock_guard<std::mutex> g(_mutex);
    size_t before = _clients.size();
    _clients.erase(std::remove_if(_clients.begin(), _clients.end(),
                                  [&](const ClientRecord& c) { return c.clientAuthId == clientAuthId; }),
                   _clients.end());
    return before - _clients.size();
}

ClientRegistry::Counts ClientRegistry::counts() const {
    std::lock_guard<std::mutex> g(_mutex);
    Counts c;
    for (const auto& client : _clients) (client.connected ? c.connected : c.disconnected)++;
    return c;
}

}  // namespace rportd::clients
