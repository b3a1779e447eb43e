#include "UserTables.h"

#include "TableSetting.h"

namespace rport::plugins::table {

namespace {

// MySQL may and SQLite does compare table names without regard to case.
std::string folded(const TableName& name) {
    std::string s = name.quoted();
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

void requireDistinct(const TableName& a, const std::string& keyA, const TableName& b,
                     const std::string& keyB) {
    if (folded(a) == folded(b))
        throw sdk::Error(RPORT_E_INVALID, "settings '" + keyA + "' and '" + keyB +
                                              "' name the same table \"" + b.text() +
                                              "\": they need a table each");
}

}  // namespace

UserTables UserTables::read(const sdk::Host& host, DbType type) {
    UserTables t{requiredTableSetting(host, type, "user_table", "[api] auth_user_table"),
                 requiredTableSetting(host, type, "group_table", "[api] auth_group_table"),
                 optionalTableSetting(host, type, "group_details_table",
                                      "[api] auth_group_details_table")};
    requireDistinct(t.users, "user_table", t.groups, "group_table");
    if (t.groupDetails) {
        requireDistinct(t.users, "user_table", *t.groupDetails, "group_details_table");
        requireDistinct(t.groups, "group_table", *t.groupDetails, "group_details_table");
    }
    return t;
}

std::string UserTables::describe() const {
    std::string s = "tables '" + users.text() + "'";
    if (groupDetails) return s + ", '" + groups.text() + "' and '" + groupDetails->text() + "'";
    return s + " and '" + groups.text() + "'";
}

}  // namespace rport::plugins::table
