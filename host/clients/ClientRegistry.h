#pragma once
// The rport clients the server knows, connected or not. Client connections
// arrive with a later issue; until then the registry is empty, but the API
// already asks it the questions the original asks (clients bound to a
// credential, counts for /status).
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace rportd::clients {

struct ClientRecord {
    std::string id;
    std::string clientAuthId;
    bool connected = false;
};

class ClientRegistry {
public:
    void add(ClientRecord record);
    // Clients (connected or not) that logged in with this credential.
    size_t countBoundTo(std::string_view clientAuthId) const;
    // Forgets every client bound to the credential (DELETE ...?force=true);
    // returns how many. Disconnecting live ones comes with the client listener.
    size_t removeBoundTo(std::string_view clientAuthId);

    struct Counts {
        uint64_t connected = 0;
        uint64_t disconnected = 0;
    };
    Counts counts() const;

private:
    mutable std::mutex _mutex;
    std::vector<ClientRecord> _clients;
};

}  // namespace rportd::clients
