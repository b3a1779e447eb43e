#pragma once
// The table named by [server] auth_table. It is spliced into SQL (identifiers
// cannot be bound as parameters), so it is accepted only in a shape that
// cannot carry anything but a name, and always quoted.
#include <optional>
#include <string>
#include <string_view>

namespace rport::plugins::table {

class TableName {
public:
    // Parses "table" or, when qualifiedAllowed, "schema.table". Each part:
    // ASCII letters, digits and '_', not starting with a digit, 1 to 64 chars.
    // Returns nullopt for anything else.
    static std::optional<TableName> parse(std::string_view text, bool qualifiedAllowed);

    // As written in the settings, for messages.
    const std::string& text() const { return _text; }
    // Backtick-quoted for SQL (MySQL and SQLite both accept backticks).
    std::string quoted() const;
    // The schema part, empty when not qualified.
    const std::string& schema() const { return _schema; }
    const std::string& table() const { return _table; }

private:
    std::string _text;
    std::string _schema;
    std::string _table;
};

}  // namespace rport::plugins::table
