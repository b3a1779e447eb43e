#include "TableSetting.h"

namespace rport::plugins::table {

std::optional<TableName> optionalTableSetting(const sdk::Host& host, DbType type,
                                              const std::string& key,
                                              const std::string& classicKey) {
    const std::string text = host.setting(key).value_or("");
    if (text.empty()) return std::nullopt;
    const bool mysql = type == DbType::MySql;
    auto name = TableName::parse(text, mysql);
    if (!name)
        throw sdk::Error(RPORT_E_INVALID,
                         "invalid table name \"" + text + "\" in setting '" + key + "' (" +
                             classicKey +
                             "): use letters, digits and '_', not starting with a digit, at "
                             "most 64 characters" +
                             (mysql ? ", optionally as schema.table" : ""));
    return name;
}

TableName requiredTableSetting(const sdk::Host& host, DbType type, const std::string& key,
                               const std::string& classicKey) {
    auto name = optionalTableSetting(host, type, key, classicKey);
    if (!name)
        throw sdk::Error(RPORT_E_INVALID,
                         "setting '" + key + "' (" + classicKey + ") is required");
    return *name;
}

}  // namespace rport::plugins::table
