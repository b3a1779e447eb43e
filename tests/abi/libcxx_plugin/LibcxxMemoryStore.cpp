// A credential store written in C++ against nothing but the frozen v1.0
// plugin.h: no SDK helpers, its own boundary code. It is built by clang++ with
// libc++ (tests/abi/CMakeLists.txt), while rportd uses g++ and libstdc++, to
// prove that a plugin's C++ runtime is its own business.
//
// client-auth/libcxx-memory (thread-safe)
//   settings: every key is an id, its value the plaintext secret
//   get/list (patterns, offset, limit, total)/add/remove/verify/is_writable
//   get("throw") throws inside, and the boundary turns it into RPORT_E_INTERNAL
//   records carry the attribute stdlib = "libc++ <version>"
#include <rport/plugin.h>

#ifndef _LIBCPP_VERSION
#error "this plugin must be built with libc++ (-stdlib=libc++)"
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const rport_host_v1* gHost = nullptr;

std::string text(rport_str s) { return s.len ? std::string(s.ptr, s.len) : std::string(); }
rport_str view(const std::string& s) { return rport_str{s.data(), s.size()}; }

void explain(const rport_sink* out, const std::string& message) {
    if (out && out->struct_size >= offsetof(rport_sink, error) + sizeof out->error && out->error)
        out->error(out->ctx, view(message));
}

// Runs body, keeping every C++ exception on this side of the boundary.
template <class Body>
int32_t boundary(const rport_sink* out, Body body) noexcept {
    try {
        return body();
    } catch (const std::exception& e) {
        explain(out, std::string("libc++ exception: ") + e.what());
    } catch (...) {
        explain(out, "unknown exception");
    }
    return RPORT_E_INTERNAL;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// '*' matches any run; ASCII case-insensitive; whole string. Recursion is fine
// for the short patterns of a test.
bool wildcard(const char* p, const char* pe, const char* t, const char* te) {
    if (p == pe) return t == te;
    if (*p == '*') return wildcard(p + 1, pe, t, te) || (t != te && wildcard(p, pe, t + 1, te));
    return t != te && lower(*p) == lower(*t) && wildcard(p + 1, pe, t + 1, te);
}

bool conditionHolds(const rport_id_match& m, const std::string& id) {
    if (m.pattern_count == 0) return true;
    const bool all = m.mode == RPORT_MATCH_ALL;
    for (size_t i = 0; i < m.pattern_count; ++i) {
        const std::string p = text(m.patterns[i]);
        const bool hit = wildcard(p.data(), p.data() + p.size(), id.data(), id.data() + id.size());
        if (hit && !all) return true;
        if (!hit && all) return false;
    }
    return all;
}

bool queryHolds(const rport_list_query* q, const std::string& id) {
    if (!q || q->condition_count == 0) return true;
    const size_t stride = q->conditions[0].struct_size;  // the array rule of plugin.h
    for (size_t i = 0; i < q->condition_count; ++i) {
        const auto* m = reinterpret_cast<const rport_id_match*>(
            reinterpret_cast<const char*>(q->conditions) + i * stride);
        if (!conditionHolds(*m, id)) return false;
    }
    return true;
}

class Store {
public:
    std::map<std::string, std::string> secrets;
    mutable std::mutex mutex;

    int32_t emit(const rport_sink* out, const std::string& id, const std::string& secret) const {
        static const std::string group = "libcxx-users";
        static const std::string key = "stdlib";
        static const std::string value = "libc++ " + std::to_string(_LIBCPP_VERSION);
        std::vector<rport_str> groups{view(group)};
        std::vector<rport_kv> attributes{rport_kv{view(key), view(value)}};
        rport_auth_record r;
        std::memset(&r, 0, sizeof r);
        r.struct_size = sizeof r;
        r.secret_kind = RPORT_SECRET_PLAIN;
        r.id = view(id);
        r.secret = view(secret);
        r.groups = groups.data();
        r.group_count = groups.size();
        r.attributes = attributes.data();
        r.attribute_count = attributes.size();
        if (!out || out->struct_size < offsetof(rport_sink, record) + sizeof out->record ||
            !out->record)
            return 1;
        return out->record(out->ctx, &r);
    }
};

struct KeyCollector {
    std::vector<std::string> keys;
    static void add(void* arg, rport_str key) {
        static_cast<KeyCollector*>(arg)->keys.push_back(text(key));
    }
};

int32_t create(rport_host_ctx* ctx, const rport_sink* out, void** self) {
    return boundary(out, [&] {
        auto store = std::make_unique<Store>();
        KeyCollector collector;
        gHost->config_keys(ctx, &KeyCollector::add, &collector);
        for (const std::string& key : collector.keys) {
            rport_str value{nullptr, 0};
            if (gHost->config_get(ctx, view(key), &value) == RPORT_OK)
                store->secrets[key] = text(value);
        }
        const std::string line =
            "libc++ store ready with " + std::to_string(store->secrets.size()) + " ids";
        gHost->log(ctx, RPORT_LOG_INFO, view(line));
        *self = store.release();
        return RPORT_OK;
    });
}

void destroy(void* self) { delete static_cast<Store*>(self); }

int32_t get(void* self, rport_str id, const rport_sink* out) {
    return boundary(out, [&] {
        const Store& s = *static_cast<Store*>(self);
        const std::string key = text(id);
        if (key == "throw") throw std::runtime_error("thrown and caught inside the plugin");
        std::lock_guard<std::mutex> lock(s.mutex);
        auto it = s.secrets.find(key);
        if (it == s.secrets.end()) return RPORT_E_NOT_FOUND;
        s.emit(out, it->first, it->second);
        return RPORT_OK;
    });
}

int32_t list(void* self, const rport_list_query* q, const rport_sink* out) {
    return boundary(out, [&] {
        const Store& s = *static_cast<Store*>(self);
        const uint64_t offset = q ? q->offset : 0;
        const uint64_t limit = q ? q->limit : UINT64_MAX;
        std::lock_guard<std::mutex> lock(s.mutex);
        uint64_t total = 0, emitted = 0;
        bool stopped = false;
        for (const auto& entry : s.secrets) {
            if (!queryHolds(q, entry.first)) continue;
            if (total >= offset && emitted < limit && !stopped) {
                stopped = s.emit(out, entry.first, entry.second) != 0;
                ++emitted;
            }
            ++total;
        }
        if (out && out->struct_size >= offsetof(rport_sink, total) + sizeof out->total &&
            out->total)
            out->total(out->ctx, total);
        return RPORT_OK;
    });
}

int32_t add(void* self, const rport_auth_record* record, const rport_sink* out) {
    return boundary(out, [&] {
        Store& s = *static_cast<Store*>(self);
        if (!record || record->id.len == 0) {
            explain(out, "a record needs an id");
            return RPORT_E_INVALID;
        }
        std::lock_guard<std::mutex> lock(s.mutex);
        const std::string id = text(record->id);
        if (!s.secrets.emplace(id, text(record->secret)).second) {
            explain(out, "id " + id + " already exists");
            return RPORT_E_EXISTS;
        }
        return RPORT_OK;
    });
}

int32_t remove(void* self, rport_str id, const rport_sink* out) {
    return boundary(out, [&] {
        Store& s = *static_cast<Store*>(self);
        std::lock_guard<std::mutex> lock(s.mutex);
        if (s.secrets.erase(text(id)) == 0) {
            explain(out, "no such id " + text(id));
            return RPORT_E_NOT_FOUND;
        }
        return RPORT_OK;
    });
}

int32_t isWritable(void*) { return 1; }

int32_t verify(void* self, rport_str id, rport_str secret, const rport_sink* out) {
    return boundary(out, [&] {
        const Store& s = *static_cast<Store*>(self);
        std::lock_guard<std::mutex> lock(s.mutex);
        auto it = s.secrets.find(text(id));
        if (it == s.secrets.end()) return RPORT_E_NOT_FOUND;
        return gHost->secret_equal(view(it->second), secret) == 1 ? RPORT_OK : RPORT_E_DENIED;
    });
}

const rport_auth_v1 kVtable = {
    sizeof(rport_auth_v1), 0, &create, &destroy, &get, &list, &add, &remove, &isWritable, &verify};

const rport_backend_v1 kBackends[] = {{sizeof(rport_backend_v1), 1, RPORT_KIND_CLIENT_AUTH,
                                       "libcxx-memory", RPORT_BACKEND_THREADSAFE, 0, &kVtable}};

const rport_plugin_v1 kDescriptor = {sizeof(rport_plugin_v1), RPORT_ABI_MAJOR, RPORT_ABI_MINOR, 0,
                                     "libcxx-memory",         "1.0.0",         kBackends,       1};

}  // namespace

extern "C" RPORT_EXPORT int32_t rport_plugin_entry_v1(const rport_host_v1* host,
                                                      const rport_plugin_v1** plugin) {
    if (!host || !plugin) return RPORT_E_INVALID;
    if (host->abi_major != RPORT_ABI_MAJOR ||
        host->struct_size < offsetof(rport_host_v1, timer_cancel) + sizeof host->timer_cancel)
        return RPORT_E_UNSUPPORTED;
    gHost = host;
    *plugin = &kDescriptor;
    return RPORT_OK;
}
