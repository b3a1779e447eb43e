#include "ListSql.h"

namespace rport::plugins::table {

namespace {

// LOWER() on both sides: SQLite lowers ASCII only and MySQL all of Unicode,
// but each compares like with like, and a binary-collated MySQL column would
// otherwise compare case-sensitively.
std::string equalsSql(const std::string& column) { return "LOWER(" + column + ") = LOWER(?)"; }
std::string likeSql(const std::string& column) {
    return "LOWER(" + column + ") LIKE LOWER(?) ESCAPE '!'";
}

bool isAscii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) > 0x7F) return false;
    return true;
}

// The SQL for one pattern, its parameters appended to params.
std::string patternSql(const std::string& pattern, const std::string& column, bool withIdRanges,
                       std::vector<std::string>& params) {
    const size_t star = pattern.find('*');
    const bool wildcard = star != std::string::npos;
    std::string sql;
    // Exact: id in [UPPER, lower]. Wildcard: ids starting with a spelling of
    // the part before the first '*' are below lower(prefix) with its last
    // character raised by one (ASCII, so no overflow).
    if (auto range = withIdRanges ? caseVariantRange(pattern.substr(0, star)) : std::nullopt) {
        if (wildcard) range->second.back() = static_cast<char>(range->second.back() + 1);
        sql = column + " >= ? AND " + column + (wildcard ? " <" : " <=") + " ? AND ";
        params.push_back(range->first);
        params.push_back(range->second);
    }
    sql += wildcard ? likeSql(column) : equalsSql(column);
    params.push_back(wildcard ? likePattern(pattern) : pattern);
    return sql;
}

std::string conditionSql(const sdk::IdMatch& condition, const std::string& column,
                         bool withIdRanges, std::vector<std::string>& params) {
    std::string sql = "(";
    for (size_t i = 0; i < condition.patterns.size(); ++i) {
        if (i > 0) sql += condition.all ? " AND " : " OR ";
        sql += "(" + patternSql(condition.patterns[i], column, withIdRanges, params) + ")";
    }
    return sql + ")";
}

}  // namespace

std::string likePattern(std::string_view wildcard) {
    std::string out;
    out.reserve(wildcard.size() + 4);
    for (char c : wildcard) {
        if (c == '!' || c == '%' || c == '_') {
            out += '!';
            out += c;
        } else if (c == '*') {
            out += '%';
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::pair<std::string, std::string>> caseVariantRange(std::string_view text) {
    if (text.empty() || !isAscii(text)) return std::nullopt;
    std::pair<std::string, std::string> range{std::string(text), std::string(text)};
    for (char& c : range.first)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    for (char& c : range.second)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return range;
}

WhereClause buildWhere(const sdk::ListQuery& query, const std::string& column, bool withIdRanges) {
    WhereClause where;
    for (const auto& condition : query.conditions) {
        if (condition.patterns.empty()) continue;  // matches everything
        where.sql += where.sql.empty() ? " WHERE " : " AND ";
        where.sql += conditionSql(condition, column, withIdRanges, where.params);
    }
    return where;
}

}  // namespace rport::plugins::table
