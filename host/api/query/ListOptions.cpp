#include "api/query/ListOptions.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <algorithm>
#include <cstdlib>
#include <regex>

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
        out.push_back(trim(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
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
        std::string_view part = query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        start = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
        size_t eq = part.find('=');
        if (decodeQueryComponent(part.substr(0, eq)) != name) continue;
        return eq == std::string_view::npos ? std::string() : decodeQueryComponent(part.substr(eq + 1));
    }
    return std::nullopt;
}

ListOptions parseListOptions(std::string_view query) {
    static const std::regex filterKey(R"(^filter\[([\w|*]+)\](\[(\w+)\])?)");
    ListOptions options;
    size_t start = 0;
    while (start <= query.size()) {
        size_t amp = query.find('&', start);
        std::string_view part = query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        start = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
        if (part.empty()) continue;
        size_t eq = part.find('=');
        std::string name = decodeQueryComponent(part.substr(0, eq));
        std::string value = eq == std::string_view::npos ? "" : decodeQueryComponent(part.substr(eq + 1));

        std::smatch m;
        if (std::regex_search(name, m, filterKey)) {
            std::string key = m[0].str();
            auto it = std::find_if(options.filters.begin(), options.filters.end(),
                                   [&](const FilterOption& f) { return f.key == key; });
            if (it == options.filters.end()) {
                FilterOption f;
                f.key = key;
                std::string cols = m[1].str();
                size_t b = 0;
                while (true) {
                    size_t bar = cols.find('|', b);
                    f.columns.push_back(cols.substr(b, bar == std::string::npos ? std::string::npos : bar - b));
                    if (bar == std::string::npos) break;
                    b = bar + 1;
                }
                f.op = m[3].str();
                options.filters.push_back(std::move(f));
                it = std::prev(options.filters.end());
            }
            addFilterValue(*it, value);
        } else if (name == "sort") {
            options.sorts.push_back(value);
        } else if (name == "page[limit]") {
            if (!options.limit) options.limit = value;
        } else if (name == "page[offset]") {
            if (!options.offset) options.offset = value;
        }
        // fields[...] and anything else: not used by credential lists.
    }
    return options;
}

Page validateListOptions(const ListOptions& options, const ListRules& rules) {
    std::vector<ErrorEntry> problems;
    for (const auto& f : options.filters) {
        bool supported = f.op.empty();
        for (const auto& c : f.columns)
            if (c != "*" && !rules.filterColumns.count(c)) supported = false;
        if (!supported) problems.push_back(invalid("unsupported filter field '" + f.key + "'"));
    }
    for (const auto& s : options.sorts) {
        std::string column = (!s.empty() && s[0] == '-') ? s.substr(1) : s;
        if (!rules.sortColumns.count(column)) problems.push_back(invalid("unsupported sort field '" + column + "'"));
    }

    Page page{0, rules.defaultLimit};
    std::string why;
    long long n = 0;
    if (options.limit) {
        if (!parseGoInt(*options.limit, n, why))
            problems.push_back(invalid("pagination limit must be a number", why));
        else if (n > static_cast<long long>(rules.maxLimit))
            problems.push_back(invalid("pagination limit too big (" + std::to_string(n) + ") maximum is " +
                                       std::to_string(rules.maxLimit)));
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
