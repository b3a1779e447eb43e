#include "api/query/FilterMatch.h"

#include <rport/types.hpp>

namespace rportd::api {

namespace {

bool matchesFilter(const FilterOption& filter, const std::set<std::string>& columns,
                   const ColumnTexts& texts) {
    std::vector<std::string> names;
    for (const auto& c : filter.columns) {
        if (c == "*")
            names.insert(names.end(), columns.begin(), columns.end());
        else
            names.push_back(c);
    }
    std::vector<bool> matched(filter.values.size(), false);
    for (const auto& column : names) {
        for (const auto& text : texts(column)) {
            for (size_t i = 0; i < filter.values.size(); ++i)
                if (!matched[i] && rport::sdk::wildcardMatch(filter.values[i], text))
                    matched[i] = true;
        }
    }
    size_t hits = 0;
    for (bool m : matched) hits += m ? 1 : 0;
    return filter.all ? hits == matched.size() : hits > 0;
}

}  // namespace

bool matchesFilters(const std::vector<FilterOption>& filters, const std::set<std::string>& columns,
                    const ColumnTexts& texts) {
    for (const auto& f : filters)
        if (!f.values.empty() && !matchesFilter(f, columns, texts)) return false;
    return true;
}

}  // namespace rportd::api
