#include "TableName.h"

namespace rport::plugins::table {

namespace {

constexpr size_t kMaxIdentifierLength = 64;  // MySQL's limit for table and schema names

bool isIdentifier(std::string_view s) {
    if (s.empty() || s.size() > kMaxIdentifierLength) return false;
    if (s.front() >= '0' && s.front() <= '9') return false;
    for (char c : s) {
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::optional<TableName> TableName::parse(std::string_view text, bool qualifiedAllowed) {
    TableName name;
    name._text = std::string(text);
    size_t dot = text.find('.');
    if (dot == std::string_view::npos) {
        if (!isIdentifier(text)) return std::nullopt;
        name._table = std::string(text);
        return name;
    }
    if (!qualifiedAllowed) return std::nullopt;
    std::string_view schema = text.substr(0, dot);
    std::string_view table = text.substr(dot + 1);
    if (!isIdentifier(schema) || !isIdentifier(table)) return std::nullopt;
    name._schema = std::string(schema);
    name._table = std::string(table);
    return name;
}

std::string TableName::quoted() const {
    // Safe without escaping: parse() admits no backtick.
    std::string table = "`" + _table + "`";
    return _schema.empty() ? table : "`" + _schema + "`." + table;
}

}  // namespace rport::plugins::table
