// Fuzzing the list parameters of the API (api/query): the query string of
// every list request goes through parseListOptions, then validation against
// an endpoint's rules, then, for /clients, filter matching against the
// clients' fields. The input is the query string up to the first newline;
// the lines after it are the texts of the object filtered (column "id" gets
// the first, "name" the second, every other column the rest). The checks
// besides the sanitizers: decoding never grows a component, every filter
// has columns, a sort column never starts with '-', validation either gives
// a page within the endpoint's limit or a 400 naming at least one problem,
// and a filter naming only "*" matches like the list of all columns.
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "FuzzEntry.h"
#include "api/ApiError.h"
#include "api/query/FilterMatch.h"
#include "api/query/ListOptions.h"

using namespace rportd::api;

namespace {

std::vector<std::string> lines(std::string_view text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t newline = text.find('\n', start);
        if (newline == std::string_view::npos) newline = text.size();
        out.emplace_back(text.substr(start, newline - start));
        start = newline + 1;
    }
    return out;
}

}  // namespace

int rportFuzzListQuery(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    size_t newline = input.find('\n');
    std::string_view query = input.substr(0, newline);
    std::vector<std::string> texts =
        lines(newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1));

    if (decodeQueryComponent(query).size() > query.size()) abort();
    queryParameter(query, "sort");

    ListOptions options = parseListOptions(query);
    for (const FilterOption& f : options.filters) {
        if (f.columns.empty() || f.key.rfind("filter[", 0) != 0) abort();
    }
    for (const SortOption& s : options.sorts)
        if (!s.column.empty() && s.column[0] == '-') abort();

    ListRules rules;
    rules.filterColumns = {"id", "name"};
    rules.sortColumns = {"id"};
    rules.maxLimit = 100;
    rules.fields["clients"] = {"id", "name", "os"};
    try {
        Page page = validateListOptions(options, rules);
        if (page.limit == 0 || page.limit > rules.maxLimit) abort();
    } catch (const ApiError& e) {
        if (e.status() != 400 || e.entries().empty()) abort();
    }
    fieldsProblems(options.fields, rules.fields);
    requestedFields(options, "clients");
    idConditions(options);

    ColumnTexts columnTexts = [&](const std::string& column) -> std::vector<std::string> {
        if (column == "id")
            return texts.empty() ? std::vector<std::string>{} : std::vector{texts[0]};
        if (column == "name")
            return texts.size() < 2 ? std::vector<std::string>{} : std::vector{texts[1]};
        return texts.size() < 3 ? std::vector<std::string>{}
                                : std::vector<std::string>(texts.begin() + 2, texts.end());
    };
    bool matched = matchesFilters(options.filters, rules.filterColumns, columnTexts);
    // "*" is shorthand for the endpoint's columns.
    std::vector<FilterOption> spelledOut = options.filters;
    for (FilterOption& f : spelledOut)
        if (f.columns.size() == 1 && f.columns[0] == "*")
            f.columns.assign(rules.filterColumns.begin(), rules.filterColumns.end());
    if (matchesFilters(spelledOut, rules.filterColumns, columnTexts) != matched) abort();
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzListQuery(data, size);
}
#endif
