#pragma once
// The list parameters of the original API (share/query there):
//   filter[<cols>][<op>]=v1,v2 | or(v1,v2) | and(v1,v2)   sort=[-]col
//   page[limit]=N  page[offset]=N  fields[<resource>]=a,b
// Parsing never fails; validation against an endpoint's rules turns every
// problem into one entry of a 400 answer, with the original's wording.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <rport/types.hpp>

namespace rportd::api {

struct FilterOption {
    std::string key;                   // as written: "filter[id]" or "filter[id][gt]"
    std::vector<std::string> columns;  // split at '|'; "*" = every supported column
    std::string op;                    // "" when absent
    bool all = false;                  // and(...) instead of or(...)
    std::vector<std::string> values;
};

struct ListOptions {
    std::vector<FilterOption> filters;  // different keys are AND-ed
    std::vector<std::string> sorts;
    std::optional<std::string> limit;
    std::optional<std::string> offset;
};

// query: the raw query string, without '?'.
ListOptions parseListOptions(std::string_view query);

// One name or value of a query string, decoded as Go's url.ParseQuery does:
// '+' is a space, %XX an escaped byte (a broken escape stays as written).
std::string decodeQueryComponent(std::string_view raw);

// The first value of a query parameter, decoded; nullopt when absent.
std::optional<std::string> queryParameter(std::string_view query, std::string_view name);

struct ListRules {
    std::set<std::string> filterColumns;
    std::set<std::string> sortColumns;
    uint64_t defaultLimit = 50;
    uint64_t maxLimit = 500;
};

struct Page {
    uint64_t offset = 0;
    uint64_t limit = 50;
};

// Throws ApiError(400) listing every problem of filters, sort and paging.
Page validateListOptions(const ListOptions& options, const ListRules& rules);

// The id conditions of the filters (all columns of a credential list are "id").
std::vector<rport::sdk::IdMatch> idConditions(const ListOptions& options);

}  // namespace rportd::api
