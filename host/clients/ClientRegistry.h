#pragma once
// The rport clients the server knows, connected or not, with the original's
// rules for who may connect (rport-behaviour.md §6.3) and clients.db behind
// them (§6.4).
//
// The client listener calls connect/disconnect/heartbeat from its blocking
// pool; the API reads from its threads. Changes are serialised and written
// to clients.db before they are published or answered, so readers never
// wait for the disk: they only take the short lock of the in-memory map,
// whose records are immutable and shared.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "clients/Client.h"
#include "clients/ClientStore.h"
#include "clients/ConnectionRequest.h"

namespace rportd::clients {

struct RegistryOptions {
    // How long a disconnected client is kept: [server]
    // keep_disconnected_clients when purge_disconnected_clients is on;
    // nullopt (purging off) keeps them until deleted. Zero deletes a client
    // when it disconnects.
    std::optional<std::chrono::nanoseconds> keepDisconnected;
};

// [server] settings that decide a connection.
struct ConnectPolicy {
    bool authMultiuseCreds = true;
    bool equateClientAuthIdClientId = false;
};

struct ConnectResult {
    bool accepted = false;
    std::string clientId;
    // Identifies this connection in disconnect(); never 0 when accepted.
    uint64_t connection = 0;
    // When refused: the original's text, sent back to the client.
    std::string refusal;
};

// A client as readers see it: the shared record and the last heartbeat,
// which only lives in memory.
struct ClientView {
    std::shared_ptr<const Client> record;
    std::optional<int64_t> lastHeartbeatAt;  // unix nanoseconds
};

class ClientRegistry {
public:
    using Clock = std::function<int64_t()>;  // unix nanoseconds
    // Asked to end a client's connection (force-deleted or superseded).
    using Closer = std::function<void(const std::string& clientId, uint64_t connection)>;

    explicit ClientRegistry(RegistryOptions options = {}, Clock clock = {});

    // Opens clients.db (created when missing) and loads it; clients that
    // were connected when the server stopped come back disconnected as of
    // now. Throws ClientStoreError naming the file. Without open() the
    // registry lives in memory only (tests).
    void open(const std::string& path, bool wal);
    // Called outside the registry's locks.
    void setCloser(Closer closer);

    ConnectResult connect(const ConnectionRequest& request, std::string_view clientAuthId,
                          std::string_view peerAddress, const ConnectPolicy& policy);
    // The connection ended. Ignored when the client has moved on to a newer
    // connection (a resumed session) or is gone.
    void disconnect(std::string_view clientId, uint64_t connection);
    // A keep-alive from the client: last_heartbeat_at (memory only).
    void heartbeat(std::string_view clientId);
    // Deletes clients disconnected longer than the keep time; returns how
    // many. No-op when purging is off. The runtime calls it every
    // purge_disconnected_clients_interval.
    size_t purge();

    // Clients (connected or not, not obsolete) that logged in with this
    // credential.
    size_t countBoundTo(std::string_view clientAuthId) const;
    // Deletes them (DELETE /clients-auth/{id}?force=true); connected ones
    // are handed to the closer. Returns how many.
    size_t removeBoundTo(std::string_view clientAuthId);

    enum class RemoveResult { Removed, NotFound, Connected };
    // DELETE /clients/{id}: only a disconnected client may go.
    RemoveResult removeDisconnected(std::string_view clientId);

    std::optional<ClientView> find(std::string_view clientId) const;
    // Every client that is not obsolete, in no particular order.
    std::vector<ClientView> list() const;

    struct Counts {
        uint64_t connected = 0;
        uint64_t disconnected = 0;
    };
    Counts counts() const;

private:
    using Map = std::map<std::string, std::shared_ptr<const Client>, std::less<>>;

    int64_t now() const { return _clock(); }
    std::optional<int64_t> keepNanos() const;
    // Under _mutex: the client unless missing or obsolete.
    std::shared_ptr<const Client> visible(std::string_view id, int64_t nowNanos) const;
    void publish(std::shared_ptr<const Client> client);
    // Under _mutex: adds (+1) or removes (-1) a record from _counts.
    void count(const Client& client, int delta);
    void forget(const std::vector<std::string>& ids);
    void persist(const Client& client);
    void erase(const std::vector<std::string>& ids);
    void close(const std::vector<std::pair<std::string, uint64_t>>& connections);

    RegistryOptions _options;
    Clock _clock;
    std::unique_ptr<ClientStore> _store;
    Closer _closer;
    uint64_t _nextConnection = 1;

    // Held by every change from its checks to its publication, so that no
    // other change slips in while clients.db is written.
    std::mutex _writeMutex;
    // Guards the maps (and _closer); held only briefly.
    mutable std::mutex _mutex;
    Map _clients;
    // Kept up to date on every change, so that /status (answered on an event
    // loop, often) never walks thousands of records. The disconnect times,
    // oldest first, let counts() leave out records past their keep time
    // (purging on) by looking at those few only.
    Counts _counts;
    std::multiset<int64_t> _disconnectTimes;
    std::map<std::string, int64_t, std::less<>> _heartbeats;
};

}  // namespace rportd::clients
