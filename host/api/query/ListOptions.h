#pragma once
// The list parameters of the original API (share/query there):
//   filter[<cols>][<op>]=v1,v2 | or(v1,v2) | and(v1,v2)   sort=[-]col
//   page[limit]=N  page[offset]=N  fields[<resource>]=a,b
// Parsing never fails; validation against an endpoint's rules turns every
// problem into one entry of a 400 answer, with the original's wording.
#include <map>
#include <optional>
#include <rport/types.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/ApiError.h"

namespace rportd::api {

struct FilterOption {
    std::string key;                   // as written: "filter[id]" or "filter[id][gt]"
    std::vector<std::string> columns;  // split at '|'; "*" alone = every supported column
    std::string op;                    // "" when absent
    bool all = false;                  // and(...) instead of or(...)
    std::vector<std::string> values;
};

struct SortOption {
    std::string column;
    bool descending = false;  // written as "-column"
};

// fields[<resource>]=a,b: which fields of the resource to answer with.
struct FieldsOption {
    std::string resource;
    std::vector<std::string> fields;
};

struct ListOptions {
    std::vector<FilterOption> filters;  // different keys are AND-ed
    std::vector<SortOption> sorts;
    std::vector<FieldsOption> fields;
    std::optional<std::string> limit;  // the first value; "" counts as absent
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
    // The fields each resource offers; empty: fields[...] is ignored.
    std::map<std::string, std::set<std::string>> fields;
};

struct Page {
    uint64_t offset = 0;
    uint64_t limit = 50;
};

// Throws ApiError(400) listing every problem, in the original's order:
// sort, filters, fields, paging.
Page validateListOptions(const ListOptions& options, const ListRules& rules);

// The problems of fields[...] alone, for single-object routes (same
// wording); empty when there are none.
std::vector<ErrorEntry> fieldsProblems(const std::vector<FieldsOption>& fields,
                                       const std::map<std::string, std::set<std::string>>& offered);

// The fields asked for of one resource (all fields[...] of it merged), or
// nullopt when none were named.
std::optional<std::set<std::string>> requestedFields(const ListOptions& options,
                                                     const std::string& resource);

// The id conditions of the filters (all columns of a credential list are "id").
std::vector<rport::sdk::IdMatch> idConditions(const ListOptions& options);

}  // namespace rportd::api
