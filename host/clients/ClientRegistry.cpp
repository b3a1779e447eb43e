#include "clients/ClientRegistry.h"

#include <Poco/Logger.h>
#include <Poco/UUIDGenerator.h>

#include <cstdio>

#include "clients/GoVersion.h"
#include "util/QuotedText.h"

namespace rportd::clients {

namespace {

int64_t systemNanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Poco::Logger& log() { return Poco::Logger::get("client-service"); }

}  // namespace

ClientRegistry::ClientRegistry(RegistryOptions options, Clock clock)
    : _options(options), _clock(clock ? std::move(clock) : Clock(systemNanos)) {}

std::optional<int64_t> ClientRegistry::keepNanos() const {
    if (!_options.keepDisconnected) return std::nullopt;
    return _options.keepDisconnected->count();
}

void ClientRegistry::open(const std::string& path, bool wal) {
    std::lock_guard<std::mutex> w(_writeMutex);
    auto store = std::make_unique<ClientStore>(path, wal);
    std::vector<Client> loaded = store->loadAll();
    const int64_t t = now();
    Map clients;
    for (auto& c : loaded) {
        if (c.connected()) {
            // Its connection ended with the previous run of the server.
            c.disconnectedAt = t;
            store->save(c);
        }
        std::string id = c.id;
        clients[id] = std::make_shared<const Client>(std::move(c));
    }
    log().debug("loaded %z clients from %s", clients.size(), path);
    std::lock_guard<std::mutex> g(_mutex);
    _store = std::move(store);
    _clients = std::move(clients);
    _counts = {};
    _disconnectTimes.clear();
    for (const auto& entry : _clients) count(*entry.second, +1);
    _heartbeats.clear();
}

void ClientRegistry::count(const Client& client, int delta) {
    if (client.connected()) {
        _counts.connected += static_cast<uint64_t>(static_cast<int64_t>(delta));
        return;
    }
    _counts.disconnected += static_cast<uint64_t>(static_cast<int64_t>(delta));
    if (delta > 0)
        _disconnectTimes.insert(*client.disconnectedAt);
    else if (auto it = _disconnectTimes.find(*client.disconnectedAt); it != _disconnectTimes.end())
        _disconnectTimes.erase(it);
}

void ClientRegistry::setCloser(Closer closer) {
    std::lock_guard<std::mutex> g(_mutex);
    _closer = std::move(closer);
}

std::shared_ptr<const Client> ClientRegistry::visible(std::string_view id, int64_t nowNanos) const {
    auto it = _clients.find(id);
    if (it == _clients.end() || it->second->obsolete(keepNanos(), nowNanos)) return nullptr;
    return it->second;
}

void ClientRegistry::publish(std::shared_ptr<const Client> client) {
    std::lock_guard<std::mutex> g(_mutex);
    std::string id = client->id;
    count(*client, +1);
    auto& slot = _clients[id];
    if (slot) count(*slot, -1);
    slot = std::move(client);
}

void ClientRegistry::forget(const std::vector<std::string>& ids) {
    std::lock_guard<std::mutex> g(_mutex);
    for (const auto& id : ids) {
        auto it = _clients.find(id);
        if (it != _clients.end()) {
            count(*it->second, -1);
            _clients.erase(it);
        }
        _heartbeats.erase(id);
    }
}

void ClientRegistry::persist(const Client& client) {
    if (_store) _store->save(client);
}

void ClientRegistry::erase(const std::vector<std::string>& ids) {
    if (_store) _store->remove(ids);
    forget(ids);
}

void ClientRegistry::close(const std::vector<std::pair<std::string, uint64_t>>& connections) {
    if (connections.empty()) return;
    Closer closer;
    {
        std::lock_guard<std::mutex> g(_mutex);
        closer = _closer;
    }
    if (!closer) return;
    for (const auto& [id, connection] : connections) closer(id, connection);
}

ConnectResult ClientRegistry::connect(const ConnectionRequest& request,
                                      std::string_view clientAuthId, std::string_view peerAddress,
                                      const ConnectPolicy& policy) {
    ConnectResult result;
    std::string id = request.id;
    if (id.empty()) {
        if (!policy.authMultiuseCreds && policy.equateClientAuthIdClientId)
            id = std::string(clientAuthId);
        else
            id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    }
    result.clientId = id;

    std::vector<std::pair<std::string, uint64_t>> superseded;
    {
        std::lock_guard<std::mutex> w(_writeMutex);
        const int64_t t = now();
        std::shared_ptr<const Client> existing;
        bool authIdTaken = false;
        {
            std::lock_guard<std::mutex> g(_mutex);
            existing = visible(id, t);
            if (!policy.authMultiuseCreds) {
                for (const auto& [otherId, other] : _clients)
                    if (otherId != id && other->clientAuthId == clientAuthId &&
                        !other->obsolete(keepNanos(), t))
                        authIdTaken = true;
            }
        }

        if (existing) {
            bool resumed = !request.sessionId.empty() && request.sessionId == existing->sessionId;
            if (existing->connected() && !resumed) {
                result.refusal = "client is already connected: " + existing->name + " [" + id + "]";
                return result;
            }
            if (auto why = versionError(request.version)) {
                result.refusal = "failed to determine client version: " + *why;
                return result;
            }
            // A resumed session whose old connection the server has not
            // noticed dying yet: that connection goes now.
            if (existing->connected()) superseded.emplace_back(id, existing->connection);
        }
        if (authIdTaken) {
            result.refusal = "client auth ID is already in use: " + util::goQuote(clientAuthId);
            return result;
        }

        auto client = std::make_shared<Client>(existing ? *existing : Client{});
        client->id = id;
        applyRequest(*client, request);
        client->address = std::string(peerAddress);
        client->clientAuthId = std::string(clientAuthId);
        client->disconnectedAt.reset();
        client->connection = _nextConnection++;
        try {
            persist(*client);
        } catch (const ClientStoreError& e) {
            log().error("%s", std::string(e.what()));
            result.refusal = std::string("failed to save client: ") + e.what();
            return result;
        }
        result.accepted = true;
        result.connection = client->connection;
        publish(std::move(client));
    }
    close(superseded);
    return result;
}

void ClientRegistry::disconnect(std::string_view clientId, uint64_t connection) {
    std::lock_guard<std::mutex> w(_writeMutex);
    std::shared_ptr<const Client> current;
    {
        std::lock_guard<std::mutex> g(_mutex);
        auto it = _clients.find(clientId);
        if (it != _clients.end()) current = it->second;
    }
    // Force-deleted meanwhile, or taken over by a newer connection.
    if (!current || current->connection != connection || !current->connected()) return;

    const auto keep = keepNanos();
    if (keep && *keep == 0) {
        try {
            erase({current->id});
        } catch (const ClientStoreError& e) {
            log().error("%s", std::string(e.what()));
            forget({current->id});
        }
        return;
    }
    auto client = std::make_shared<Client>(*current);
    client->disconnectedAt = now();
    client->connection = 0;
    try {
        persist(*client);
    } catch (const ClientStoreError& e) {
        // Shown as disconnected all the same; the next start corrects the
        // file, since it marks every client it finds connected.
        log().error("%s", std::string(e.what()));
    }
    publish(std::move(client));
}

void ClientRegistry::heartbeat(std::string_view clientId) {
    std::lock_guard<std::mutex> g(_mutex);
    if (_clients.find(clientId) == _clients.end()) return;
    _heartbeats[std::string(clientId)] = now();
}

size_t ClientRegistry::purge() {
    const auto keep = keepNanos();
    if (!keep) return 0;
    std::lock_guard<std::mutex> w(_writeMutex);
    const int64_t t = now();
    std::vector<std::string> obsolete;
    {
        std::lock_guard<std::mutex> g(_mutex);
        for (const auto& [id, client] : _clients)
            if (client->obsolete(keep, t)) obsolete.push_back(id);
    }
    if (obsolete.empty()) return 0;
    try {
        erase(obsolete);
    } catch (const ClientStoreError& e) {
        log().error("purging disconnected clients failed: %s", std::string(e.what()));
        return 0;
    }
    log().debug("purged %z disconnected clients", obsolete.size());
    return obsolete.size();
}

size_t ClientRegistry::countBoundTo(std::string_view clientAuthId) const {
    std::lock_guard<std::mutex> g(_mutex);
    const int64_t t = now();
    size_t n = 0;
    for (const auto& entry : _clients)
        if (entry.second->clientAuthId == clientAuthId && !entry.second->obsolete(keepNanos(), t))
            ++n;
    return n;
}

size_t ClientRegistry::removeBoundTo(std::string_view clientAuthId) {
    std::vector<std::pair<std::string, uint64_t>> live;
    std::vector<std::string> ids;
    {
        std::lock_guard<std::mutex> w(_writeMutex);
        const int64_t t = now();
        {
            std::lock_guard<std::mutex> g(_mutex);
            for (const auto& [id, client] : _clients) {
                if (client->clientAuthId != clientAuthId || client->obsolete(keepNanos(), t))
                    continue;
                ids.push_back(id);
                if (client->connected()) live.emplace_back(id, client->connection);
            }
        }
        erase(ids);
    }
    close(live);
    return ids.size();
}

ClientRegistry::RemoveResult ClientRegistry::removeDisconnected(std::string_view clientId) {
    std::lock_guard<std::mutex> w(_writeMutex);
    std::shared_ptr<const Client> current;
    {
        std::lock_guard<std::mutex> g(_mutex);
        current = visible(clientId, now());
    }
    if (!current) return RemoveResult::NotFound;
    if (current->connected()) return RemoveResult::Connected;
    erase({current->id});
    return RemoveResult::Removed;
}

std::optional<ClientView> ClientRegistry::find(std::string_view clientId) const {
    std::lock_guard<std::mutex> g(_mutex);
    auto client = visible(clientId, now());
    if (!client) return std::nullopt;
    ClientView view{client, std::nullopt};
    auto hb = _heartbeats.find(clientId);
    if (hb != _heartbeats.end()) view.lastHeartbeatAt = hb->second;
    return view;
}

std::vector<ClientView> ClientRegistry::list() const {
    std::lock_guard<std::mutex> g(_mutex);
    const int64_t t = now();
    std::vector<ClientView> out;
    out.reserve(_clients.size());
    for (const auto& [id, client] : _clients) {
        if (client->obsolete(keepNanos(), t)) continue;
        ClientView view{client, std::nullopt};
        auto hb = _heartbeats.find(id);
        if (hb != _heartbeats.end()) view.lastHeartbeatAt = hb->second;
        out.push_back(std::move(view));
    }
    return out;
}

ClientRegistry::Counts ClientRegistry::counts() const {
    std::lock_guard<std::mutex> g(_mutex);
    Counts c = _counts;
    if (auto keep = keepNanos()) {
        // Obsolete: disconnected longer than the keep time (Client::obsolete).
        const int64_t t = now();
        for (auto it = _disconnectTimes.begin(); it != _disconnectTimes.end() && *it + *keep < t;
             ++it)
            --c.disconnected;
    }
    return c;
}

}  // namespace rportd::clients
