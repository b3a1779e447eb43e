#pragma once
// Matching list filters against an object in memory, as the original's
// query.MatchesFilters does for /clients: a column's value is looked at as
// text (an array element by element, a map as "key: value" entries), an
// operand matches a text case-insensitively with '*' as the only wildcard
// (rport-behaviour.md §0), or() needs one operand to match somewhere in the
// filter's columns, and() every one. Different filters are AND-ed.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "api/query/ListOptions.h"

namespace rportd::api {

// The texts of one column of the object at hand.
using ColumnTexts = std::function<std::vector<std::string>(const std::string& column)>;

// columns: what "*" stands for (the endpoint's filter columns).
bool matchesFilters(const std::vector<FilterOption>& filters, const std::set<std::string>& columns,
                    const ColumnTexts& texts);

}  // namespace rportd::api
