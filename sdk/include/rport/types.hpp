// rport/types.hpp - C++ value types mirroring the C structs of rport/plugin.h,
// and the conversions between them. Header-only: it compiles into whoever
// includes it, so no C++ type ever crosses the plugin boundary.
#ifndef RPORT_TYPES_HPP
#define RPORT_TYPES_HPP

#include <rport/plugin.h>

#include <cstdint>
#include <limits>
#include <rport/secret.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rport::sdk {

// False for {NULL, n > 0}: a length without bytes behind it (see rport_str).
inline bool isValid(rport_str s) noexcept { return s.ptr != nullptr || s.len == 0; }
// The text; empty for {NULL, n}, which must never be read. Where a malformed
// string must fail the call rather than read as empty, use checkedView.
inline std::string_view view(rport_str s) noexcept {
    return s.ptr && s.len ? std::string_view(s.ptr, s.len) : std::string_view();
}
inline rport_str str(std::string_view s) noexcept { return rport_str{s.data(), s.size()}; }

// Thrown by plugin code to return a specific status; the wrapper turns it into
// that status plus an error message for the host.
class Error : public std::runtime_error {
public:
    Error(int32_t code, const std::string& message) : std::runtime_error(message), _code(code) {}
    int32_t code() const noexcept { return _code; }

private:
    int32_t _code;
};

// The text of a string received from the other side; throws
// Error(RPORT_E_INVALID) naming `what` for {NULL, n > 0}.
inline std::string_view checkedView(rport_str s, const char* what) {
    if (!isValid(s)) throw Error(RPORT_E_INVALID, std::string(what) + " has a length but no data");
    return view(s);
}

// Short names for the status codes, for messages and logs.
inline const char* statusName(int32_t code) noexcept {
    switch (code) {
        case RPORT_OK: return "ok";
        case RPORT_E_NOT_FOUND: return "not found";
        case RPORT_E_EXISTS: return "already exists";
        case RPORT_E_READ_ONLY: return "read-only";
        case RPORT_E_INVALID: return "invalid";
        case RPORT_E_UNAVAILABLE: return "unavailable";
        case RPORT_E_DENIED: return "denied";
        case RPORT_E_UNSUPPORTED: return "unsupported";
        case RPORT_E_INTERNAL: return "internal error";
        default: return "unknown status";
    }
}

struct AuthRecord {
    std::string id;
    std::string secret;
    uint32_t secretKind = RPORT_SECRET_AUTO;
    std::vector<std::string> groups;
    std::vector<std::pair<std::string, std::string>> attributes;

    bool operator==(const AuthRecord& o) const {
        return id == o.id && secret == o.secret && secretKind == o.secretKind &&
               groups == o.groups && attributes == o.attributes;
    }
};

// One id condition: the patterns combine with OR (any) or AND (all).
struct IdMatch {
    bool all = false;
    std::vector<std::string> patterns;
};

struct ListQuery {
    std::vector<IdMatch> conditions;  // AND-ed; empty = everything
    uint64_t offset = 0;
    uint64_t limit = std::numeric_limits<uint64_t>::max();
};

struct ListPage {
    std::vector<AuthRecord> records;
    uint64_t total = 0;
};

struct CertBundle {
    std::string chainPem;
    SecretString keyPem;  // wiped when the bundle is released
    int64_t notBefore = 0;
    int64_t notAfter = 0;
};

// rport_provider_status (ABI 1.1): what a provider is doing about one name.
struct ProviderStatus {
    std::string name;
    std::string state;  // "issuing", "valid", "renewing", "retrying", "failed"
    std::string detail;
    std::string lastError;
    int64_t lastErrorAt = 0;
    int64_t nextAttempt = 0;
    int64_t notAfter = 0;
};

// ---- matching, for stores that filter in memory ---------------------------

inline char asciiLower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

// True when text matches pattern as a whole, ASCII case-insensitively; '*'
// matches any run of characters (including none), nothing else is special.
// Greedy matching with one backtrack point: at worst pattern x text steps, so a
// hostile pattern such as "*a*a*a*b" can never go exponential like a regex.
inline bool wildcardMatch(std::string_view pattern, std::string_view text) noexcept {
    size_t p = 0, t = 0;
    size_t starP = std::string_view::npos, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            starP = p++;
            starT = t;
        } else if (p < pattern.size() && asciiLower(pattern[p]) == asciiLower(text[t])) {
            ++p;
            ++t;
        } else if (starP != std::string_view::npos) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

inline bool matches(const IdMatch& m, std::string_view id) noexcept {
    if (m.patterns.empty()) return true;
    for (const auto& p : m.patterns) {
        bool hit = wildcardMatch(p, id);
        if (hit && !m.all) return true;
        if (!hit && m.all) return false;
    }
    return m.all;
}

inline bool matches(const ListQuery& q, std::string_view id) noexcept {
    for (const auto& c : q.conditions)
        if (!matches(c, id)) return false;
    return true;
}

namespace detail {

// RPORT_HAS_MEMBER for an object known to exist (no NULL test, which g++ warns
// about for references).
#define RPORT_FITS(obj, type, m) ((obj).struct_size >= offsetof(type, m) + sizeof(((type*)0)->m))

// Element i of an array of versioned structs. The stride is the first
// element's struct_size (see the array rule in plugin.h), so elements written
// by a newer peer (longer) or an older one (shorter) still line up. Read the
// members of the result only after RPORT_FITS says they are there.
template <class T>
const T& element(const T* array, size_t i) noexcept {
    const size_t stride = array[0].struct_size;
    return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(array) + i * stride);
}

// Copies a C record into C++ values. Throws Error(RPORT_E_INVALID) for a
// string or an array that has a length but no data: the record is refused
// whole rather than read in part.
inline AuthRecord toRecord(const rport_auth_record& r) {
    AuthRecord out;
    out.id = std::string(checkedView(r.id, "the record's id"));
    out.secret = std::string(checkedView(r.secret, "the record's secret"));
    if (RPORT_FITS(r, rport_auth_record, secret_kind)) out.secretKind = r.secret_kind;
    if (RPORT_FITS(r, rport_auth_record, group_count) && r.group_count) {
        if (!r.groups)
            throw Error(RPORT_E_INVALID, "the record's groups have a count but no array");
        for (size_t i = 0; i < r.group_count; ++i)
            out.groups.emplace_back(checkedView(r.groups[i], "a group of the record"));
    }
    if (RPORT_FITS(r, rport_auth_record, attribute_count) && r.attribute_count) {
        if (!r.attributes)
            throw Error(RPORT_E_INVALID, "the record's attributes have a count but no array");
        for (size_t i = 0; i < r.attribute_count; ++i)
            out.attributes.emplace_back(
                std::string(checkedView(r.attributes[i].key, "an attribute name of the record")),
                std::string(
                    checkedView(r.attributes[i].value, "an attribute value of the record")));
    }
    return out;
}

// A C view of a C++ record; valid while both objects live.
class RecordView {
public:
    explicit RecordView(const AuthRecord& r) {
        for (const auto& g : r.groups) _groups.push_back(str(g));
        for (const auto& [k, v] : r.attributes) _attrs.push_back(rport_kv{str(k), str(v)});
        _c.struct_size = sizeof(rport_auth_record);
        _c.secret_kind = r.secretKind;
        _c.id = str(r.id);
        _c.secret = str(r.secret);
        _c.groups = _groups.data();
        _c.group_count = _groups.size();
        _c.attributes = _attrs.data();
        _c.attribute_count = _attrs.size();
    }
    RecordView(const RecordView&) = delete;
    RecordView& operator=(const RecordView&) = delete;
    const rport_auth_record* get() const noexcept { return &_c; }

private:
    rport_auth_record _c{};
    std::vector<rport_str> _groups;
    std::vector<rport_kv> _attrs;
};

// Copies a C query into C++ values; throws Error(RPORT_E_INVALID) like
// toRecord for a string or array that has a length but no data.
inline ListQuery toQuery(const rport_list_query& q) {
    ListQuery out;
    out.offset = q.offset;
    out.limit = q.limit;
    if (q.condition_count && !q.conditions)
        throw Error(RPORT_E_INVALID, "the query's conditions have a count but no array");
    for (size_t i = 0; i < q.condition_count; ++i) {
        const rport_id_match& c = element(q.conditions, i);
        IdMatch m;
        m.all = RPORT_FITS(c, rport_id_match, mode) && c.mode == RPORT_MATCH_ALL;
        if (RPORT_FITS(c, rport_id_match, pattern_count) && c.pattern_count) {
            if (!c.patterns)
                throw Error(RPORT_E_INVALID, "a condition's patterns have a count but no array");
            for (size_t j = 0; j < c.pattern_count; ++j)
                m.patterns.emplace_back(checkedView(c.patterns[j], "a pattern of the query"));
        }
        out.conditions.push_back(std::move(m));
    }
    return out;
}

// A C view of a C++ query; valid while both objects live.
class QueryView {
public:
    explicit QueryView(const ListQuery& q) {
        _patterns.reserve(q.conditions.size());
        for (const auto& c : q.conditions) {
            std::vector<rport_str> ps;
            for (const auto& p : c.patterns) ps.push_back(str(p));
            _patterns.push_back(std::move(ps));
        }
        for (size_t i = 0; i < q.conditions.size(); ++i) {
            rport_id_match m{};
            m.struct_size = sizeof(rport_id_match);
            m.mode = q.conditions[i].all ? RPORT_MATCH_ALL : RPORT_MATCH_ANY;
            m.patterns = _patterns[i].data();
            m.pattern_count = _patterns[i].size();
            _conditions.push_back(m);
        }
        _c.struct_size = sizeof(rport_list_query);
        _c.conditions = _conditions.data();
        _c.condition_count = _conditions.size();
        _c.offset = q.offset;
        _c.limit = q.limit;
    }
    QueryView(const QueryView&) = delete;
    QueryView& operator=(const QueryView&) = delete;
    const rport_list_query* get() const noexcept { return &_c; }

private:
    rport_list_query _c{};
    std::vector<std::vector<rport_str>> _patterns;
    std::vector<rport_id_match> _conditions;
};

}  // namespace detail
}  // namespace rport::sdk

#endif  // RPORT_TYPES_HPP
