#include "TestPlugin.h"

#include <cstdio>
#include <map>
#include <rport/plugin.hpp>
#include <stdexcept>

namespace {

using rport::sdk::AuthRecord;
using rport::sdk::Error;
using rport::sdk::ListPage;
using rport::sdk::ListQuery;

class ErrorStore : public rport::sdk::AuthStore {
public:
    explicit ErrorStore(rport::sdk::Host) {}
    std::optional<AuthRecord> get(std::string_view id) override {
        if (id == "unavailable") throw Error(RPORT_E_UNAVAILABLE, "db down");
        if (id == "runtime") throw std::runtime_error("boom");
        if (id == "weird") throw 42;
        if (id == "invalid") throw Error(RPORT_E_INVALID, "bad id");
        return std::nullopt;
    }
};

class PagedStore : public rport::sdk::AuthStore {
public:
    static constexpr bool kOffersVerify = true;

    explicit PagedStore(rport::sdk::Host host) : _host(host) {
        const int count = std::stoi(host.requireSetting("count"));
        for (int i = 0; i < count; ++i) {
            char id[16];
            std::snprintf(id, sizeof id, "id-%03d", i);
            _records[id] =
                AuthRecord{id, "pw-" + std::to_string(i), RPORT_SECRET_PLAIN, {"group"}, {}};
        }
    }
    std::optional<AuthRecord> get(std::string_view id) override {
        auto it = _records.find(std::string(id));
        if (it == _records.end()) return std::nullopt;
        return it->second;
    }
    ListPage list(const ListQuery& query) override {
        ListPage page;
        for (const auto& [id, record] : _records) {
            if (!rport::sdk::matches(query, id)) continue;
            if (page.total >= query.offset && page.records.size() < query.limit)
                page.records.push_back(record);
            ++page.total;
        }
        return page;
    }
    void add(const AuthRecord& record) override {
        if (!_records.emplace(record.id, record).second)
            throw Error(RPORT_E_EXISTS, record.id + " exists");
    }
    void remove(std::string_view id) override {
        if (!_records.erase(std::string(id)))
            throw Error(RPORT_E_NOT_FOUND, "no " + std::string(id));
    }
    bool writable() const override { return true; }
    int32_t verify(std::string_view id, std::string_view secret) override {
        auto r = get(id);
        if (!r) return RPORT_E_NOT_FOUND;
        return _host.secretEqual(r->secret, secret) ? RPORT_OK : RPORT_E_DENIED;
    }

protected:
    rport::sdk::Host _host;
    std::map<std::string, AuthRecord> _records;
};

class GreedyStore : public PagedStore {
public:
    using PagedStore::PagedStore;
    ListPage list(const ListQuery&) override {
        ListPage page;
        for (const auto& entry : _records) page.records.push_back(entry.second);
        page.total = page.records.size();
        return page;
    }
};

class FixedCert : public rport::sdk::CertProvider {
public:
    explicit FixedCert(rport::sdk::Host host)
        : _host(host),
          _chain(host.requireSetting("chain")),
          _key(host.setting("key").value_or("")) {}
    rport::sdk::CertBundle current() override { return {_chain, _key, 1700000000, 1800000000}; }
    void renewNow() override { _host.certChanged(); }

private:
    rport::sdk::Host _host;
    std::string _chain;
    rport::sdk::SecretString _key;
};

class EmptyCert : public rport::sdk::CertProvider {
public:
    explicit EmptyCert(rport::sdk::Host) {}
    rport::sdk::CertBundle current() override {
        throw Error(RPORT_E_UNAVAILABLE, "no certificate yet");
    }
};

}  // namespace

RPORT_PLUGIN(
    "sdk-test", "0.0.1", rport::sdk::authBackend<ErrorStore>(RPORT_KIND_CLIENT_AUTH, "errors"),
    rport::sdk::authBackend<PagedStore>(RPORT_KIND_CLIENT_AUTH, "pages", RPORT_BACKEND_THREADSAFE),
    rport::sdk::authBackend<GreedyStore>(RPORT_KIND_API_AUTH, "greedy"),
    rport::sdk::certBackend<FixedCert>("fixed"), rport::sdk::certBackend<EmptyCert>("empty"))
