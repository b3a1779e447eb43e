#pragma once
// Turns the id conditions of a list query into a SQL WHERE clause on the id
// column (id for client credentials, username for API users) whose every
// value is a bound parameter. The same text works for MySQL and SQLite.
#include <optional>
#include <rport/types.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rport::plugins::table {

struct WhereClause {
    std::string sql;                  // "" or " WHERE ..."
    std::vector<std::string> params;  // in placeholder order
};

// Patterns match case-insensitively against the whole of column (a fixed,
// trusted column name; it is spliced in): without '*' by
// equality, with '*' through LIKE (see likePattern). The patterns of one
// condition are OR-ed (AND-ed for match-all); conditions are AND-ed.
// withIdRanges adds, where it can, a byte-order range on the column that
// every match lies in (see caseVariantRange), so its unique index narrows
// the scan. Only valid where case folding is ASCII-only and the column
// compares bytewise: SQLite, not MySQL.
WhereClause buildWhere(const sdk::ListQuery& query, const std::string& column, bool withIdRanges);

// The LIKE pattern for a wildcard pattern: '!', '%' and '_' are escaped with
// '!', the LIKE escape character ('!' needs no backslash escaping in either
// dialect), and '*' becomes '%'.
std::string likePattern(std::string_view wildcard);

// Every string that equals text ignoring ASCII case lies, in byte order,
// between text's upper-case and lower-case spellings (upper-case letters
// sort first). Returns them; nullopt when text is empty or not ASCII.
std::optional<std::pair<std::string, std::string>> caseVariantRange(std::string_view text);

}  // namespace rport::plugins::table
