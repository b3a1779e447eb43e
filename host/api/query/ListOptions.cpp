#include "api/query/ListOptions.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <optional>

#include "api/ApiError.h"

namespace rportd::api {

namespace {

std::string trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::vector<std::string> splitTrimmed(std::string_view s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t comma = s.find(',', start);
        out.push_back(trim(s.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

// The original's key patterns, ^filter\[([\w|*]+)\](\[(\w+)\])? and
// ^fields\[(\w+)\], matched by hand: std::regex backtracks with memory in
// proportion to the name (about 2.7 MB for a name of 7,000 characters, which
// each worker thread's allocator then keeps). \w is Go's: ASCII letters,
// digits and '_'.
bool isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Where the run of characters accepted from `from` on ends.
template <typename Accept>
size_t runEnd(std::string_view text, size_t from, Accept accept) {
    while (from < text.size() && accept(text[from])) ++from;
    return from;
}

// "<prefix>[<name>]" at the start of text with a non-empty name of accepted
// characters: the name and the length of the match.
template <typename Accept>
std::optional<std::pair<std::string_view, size_t>> bracketed(std::string_view text,
                                                             std::string_view prefix,
                                                             Accept accept) {
    if (text.substr(0, prefix.size()) != prefix || text.size() <= prefix.size() ||
        text[prefix.size()] != '[')
        return std::nullopt;
    const size_t begin = prefix.size() + 1;
    const size_t end = runEnd(text, begin, accept);
    if (end == begin || end >= text.size() || text[end] != ']') return std::nullopt;
    return std::make_pair(text.substr(begin, end - begin), end + 1);
}

struct FilterKey {
    std::string_view key;  // the whole match
    std::string_view columns;
    std::string_view op;
};

std::optional<FilterKey> matchFilterKey(std::string_view name) {
    auto columns =
        bracketed(name, "filter", [](char c) { return isWordChar(c) || c == '|' || c == '*'; });
    if (!columns) return std::nullopt;
    FilterKey key{name.substr(0, columns->second), columns->first, {}};
    // The operator is optional: "[op" without its ']' is no operator.
    if (auto op = bracketed(name.substr(columns->second), "", isWordChar)) {
        key.op = op->first;
        key.key = name.substr(0, columns->second + op->second);
    }
    return key;
}

std::optional<std::string_view> matchFieldsKey(std::string_view name) {
    auto resource = bracketed(name, "fields", isWordChar);
    if (!resource) return std::nullopt;
    return resource->first;
}

// Adds one occurrence of a filter's value: "a,b", "or(a,b)" or "and(a,b)".
void addFilterValue(FilterOption& f, std::string_view value) {
    std::string_view inner = value;
    if (value.size() >= 4 && value.substr(0, 3) == "or(" && value.back() == ')') {
        inner = value.substr(3, value.size() - 4);
    } else if (value.size() >= 5 && value.substr(0, 4) == "and(" && value.back() == ')') {
        inner = value.substr(4, value.size() - 5);
        f.all = true;
    }
    for (auto& v : splitTrimmed(inner)) f.values.push_back(std::move(v));
}

// Go's strconv.Atoi, including its error texts (they are sent as details).
bool parseGoInt(const std::string& text, long long& out, std::string& error) {
    size_t i = 0;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) i = 1;
    bool digits = i < text.size();
    for (size_t k = i; k < text.size(); ++k)
        if (!std::isdigit(static_cast<unsigned char>(text[k]))) digits = false;
    if (!digits) {
        error = "strconv.Atoi: parsing \"" + text + "\": invalid syntax";
        return false;
    }
    errno = 0;
    out = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE) {
        error = "strconv.Atoi: parsing \"" + text + "\": value out of range";
        return false;
    }
    return true;
}

ErrorEntry invalid(std::string title, std::string detail = "") {
    return ErrorEntry{kCodeInvalidRequest, std::move(title), std::move(detail)};
}

}  // namespace

std::string decodeQueryComponent(std::string_view raw) {
    // Poco's plusAsSpace only applies after a '?' inside the string, so turn
    // '+' into ' ' here, before %-decoding (an escaped %2B stays a '+').
    std::string spaced(raw);
    std::replace(spaced.begin(), spaced.end(), '+', ' ');
    std::string out;
    try {
        Poco::URI::decode(spaced, out);
    } catch (const Poco::Exception&) {
        out = spaced;
    }
    return out;
}

std::optional<std::string> queryParameter(std::string_view query, std::string_view name) {
    size_t start = 0;
    while (start <= query.size()) {
        size_t amp = query.find('&', start);
        std::string_view part = query.substr(
            start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        start = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
        size_t eq = part.find('=');
        if (decodeQueryComponent(part.substr(0, eq)) != name) continue;
        return eq == std::string_view::npos ? std::string()
                                            : decodeQueryComponent(part.substr(eq + 1));
    }
    return std::nullopt;
}

ListOptions parseListOptions(std::string_view query) {
    ListOptions options;
    size_t start = 0;
    while (start <= query.size()) {
        size_t amp = query.find('&', start);
        std::string_view part = query.substr(
            start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        start = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
        if (part.empty()) continue;
        size_t eq = part.find('=');
        std::string name = decodeQueryComponent(part.substr(0, eq));
        std::string value =
            eq == std::string_view::npos ? "" : decodeQueryComponent(part.substr(eq + 1));

        if (auto filterKey = matchFilterKey(name)) {
            const std::string key(filterKey->key);
            auto it = std::find_if(options.filters.begin(), options.filters.end(),
                                   [&](const FilterOption& f) { return f.key == key; });
            if (it == options.filters.end()) {
                FilterOption f;
                f.key = key;
                const std::string cols(filterKey->columns);
                size_t b = 0;
                while (true) {
                    size_t bar = cols.find('|', b);
                    f.columns.push_back(
                        cols.substr(b, bar == std::string::npos ? std::string::npos : bar - b));
                    if (bar == std::string::npos) break;
                    b = bar + 1;
                }
                f.op = std::string(filterKey->op);
                options.filters.push_back(std::move(f));
                it = std::prev(options.filters.end());
            }
            addFilterValue(*it, value);
        } else if (name == "sort") {
            // Go's ParseSortOptions: trimmed, empty ones skipped, every
            // leading '-' taken off.
            std::string s = trim(value);
            if (s.empty()) continue;
            SortOption sort;
            sort.descending = s[0] == '-';
            sort.column =
                s.substr(s.find_first_not_of('-') == std::string::npos ? s.size()
                                                                       : s.find_first_not_of('-'));
            options.sorts.push_back(std::move(sort));
        } else if (auto fieldsKey = matchFieldsKey(name)) {
            // Go's getOrValues: the whole value trimmed, split at ',', the
            // items left as they are.
            const std::string resource(*fieldsKey);
            auto it = std::find_if(options.fields.begin(), options.fields.end(),
                                   [&](const FieldsOption& f) { return f.resource == resource; });
            if (it == options.fields.end()) {
                options.fields.push_back(FieldsOption{resource, {}});
                it = std::prev(options.fields.end());
            }
            std::string all = trim(value);
            size_t b = 0;
            while (true) {
                size_t comma = all.find(',', b);
                it->fields.push_back(
                    all.substr(b, comma == std::string::npos ? std::string::npos : comma - b));
                if (comma == std::string::npos) break;
                b = comma + 1;
            }
        } else if (name == "page[limit]") {
            if (!options.limit) options.limit = value;
        } else if (name == "page[offset]") {
            if (!options.offset) options.offset = value;
        }
    }
    return options;
}

std::vector<ErrorEntry> fieldsProblems(
    const std::vector<FieldsOption>& fields,
    const std::map<std::string, std::set<std::string>>& offered) {
    std::vector<ErrorEntry> problems;
    for (const auto& f : fields) {
        auto resource = offered.find(f.resource);
        if (resource == offered.end()) {
            problems.push_back(invalid("unsupported resource in fields: \"" + f.resource + "\""));
            continue;
        }
        for (const auto& name : f.fields)
            if (!resource->second.count(name))
                problems.push_back(invalid("unsupported field \"" + name + "\" for resource \"" +
                                           f.resource + "\""));
    }
    return problems;
}

std::optional<std::set<std::string>> requestedFields(const ListOptions& options,
                                                     const std::string& resource) {
    std::optional<std::set<std::string>> out;
    for (const auto& f : options.fields) {
        if (f.resource != resource) continue;
        if (!out) out.emplace();
        out->insert(f.fields.begin(), f.fields.end());
    }
    return out;
}

Page validateListOptions(const ListOptions& options, const ListRules& rules) {
    std::vector<ErrorEntry> problems;
    for (const auto& s : options.sorts)
        if (!rules.sortColumns.count(s.column))
            problems.push_back(invalid("unsupported sort field '" + s.column + "'"));
    for (const auto& f : options.filters) {
        // "*" stands for every column only on its own: the original refuses
        // it inside a list ("filter[id|*]").
        const bool everyColumn = f.columns.size() == 1 && f.columns[0] == "*";
        bool supported = f.op.empty();
        if (!everyColumn)
            for (const auto& c : f.columns)
                if (!rules.filterColumns.count(c)) supported = false;
        if (!supported) problems.push_back(invalid("unsupported filter field '" + f.key + "'"));
    }
    if (!rules.fields.empty())
        for (auto& p : fieldsProblems(options.fields, rules.fields))
            problems.push_back(std::move(p));

    Page page{0, rules.defaultLimit};
    std::string why;
    long long n = 0;
    // The original takes an empty page[limit]= for no limit given, but an
    // empty page[offset]= for a number that is not one (400); so do we.
    if (options.limit && !options.limit->empty()) {
        if (!parseGoInt(*options.limit, n, why))
            problems.push_back(invalid("pagination limit must be a number", why));
        else if (n > static_cast<long long>(rules.maxLimit))
            problems.push_back(invalid("pagination limit too big (" + std::to_string(n) +
                                       ") maximum is " + std::to_string(rules.maxLimit)));
        else if (n <= 0)
            problems.push_back(invalid("pagination limit must be positive"));
        else
            page.limit = static_cast<uint64_t>(n);
    }
    if (options.offset) {
        if (!parseGoInt(*options.offset, n, why))
            problems.push_back(invalid("pagination offset must be a number", why));
        else if (n < 0)
            problems.push_back(invalid("pagination offset must not be negative"));
        else
            page.offset = static_cast<uint64_t>(n);
    }
    if (!problems.empty()) throw ApiError(400, std::move(problems));
    return page;
}

std::vector<rport::sdk::IdMatch> idConditions(const ListOptions& options) {
    std::vector<rport::sdk::IdMatch> conditions;
    for (const auto& f : options.filters) {
        if (f.values.empty()) continue;
        conditions.push_back(rport::sdk::IdMatch{f.all, f.values});
    }
    return conditions;
}

}  // namespace rportd::api
