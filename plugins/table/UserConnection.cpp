#include "UserConnection.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>

#include "DbFailure.h"
#include "ListPaging.h"
#include "Transaction.h"

namespace rport::plugins::table {

using namespace Poco::Data::Keywords;

namespace {

bool isSet(const Poco::Nullable<int>& flag) { return !flag.isNull() && flag.value() != 0; }

}  // namespace

UserConnection::UserConnection(Poco::Data::Session session, DbType type,
                               const UserQueries& queries)
    : Connection(std::move(session), type), _queries(queries) {}

std::optional<sdk::AuthRecord> UserConnection::get(std::string_view username) {
    std::string wanted(username);
    UserRow row;
    Poco::Nullable<int> expired;
    Poco::Data::Statement select(session());
    select << _queries.getUser, use(wanted), into(row.username), into(row.password),
        into(expired);
    if (select.execute() == 0) return std::nullopt;
    row.passwordExpired = isSet(expired);
    row.groups = groupsOf(row.username);
    return recordOf(std::move(row));
}

std::vector<std::string> UserConnection::groupsOf(const std::string& username) {
    std::string name = username;
    std::vector<std::string> groups;
    Poco::Data::Statement select(session());
    select << _queries.groupsOf, use(name), into(groups);
    select.execute();
    return groups;
}

sdk::ListPage UserConnection::list(const WhereClause& where, uint64_t offset, uint64_t limit) {
    // Poco binds by reference, so the values need a home that is not const.
    std::vector<std::string> params = where.params;
    Poco::Int64 limitValue = clampToInt64(limit);
    Poco::Int64 offsetValue = clampToInt64(offset);
    std::vector<std::string> names;
    std::vector<std::string> passwords;
    std::vector<Poco::Nullable<int>> expired;

    Poco::Data::Statement select(session());
    select << _queries.selectUsers + where.sql + _queries.orderByUsername + " LIMIT ? OFFSET ?";
    for (auto& p : params) select.addBind(use(p));
    select, use(limitValue), use(offsetValue), into(names), into(passwords), into(expired);
    select.execute();

    sdk::ListPage page;
    const size_t rows = std::min({names.size(), passwords.size(), expired.size()});
    page.records.reserve(rows);
    for (size_t i = 0; i < rows; ++i) {
        UserRow row;
        row.username = std::move(names[i]);
        row.password = std::move(passwords[i]);
        row.passwordExpired = isSet(expired[i]);
        row.groups = groupsOf(row.username);
        page.records.push_back(recordOf(std::move(row)));
    }
    page.total = totalOfListing(session(), _queries.countUsers, where, offset, limit, rows);
    return page;
}

void UserConnection::insert(const UserRow& row) {
    std::string username = row.username;
    std::string password = row.password;
    int expired = row.passwordExpired ? 1 : 0;
    Transaction transaction(*this);
    {
        Poco::Data::Statement insertUser(session());
        insertUser << _queries.insertUser, use(username), use(password), use(expired);
        insertUser.execute();
    }
    {
        Poco::Data::Statement dropStale(session());
        dropStale << _queries.removeGroups, use(username);
        dropStale.execute();
    }
    for (const auto& group : row.groups) insertGroup(username, group);
    transaction.commit();
}

void UserConnection::insertGroup(const std::string& username, const std::string& group) {
    std::string name = username;
    std::string groupValue = group;
    try {
        Poco::Data::Statement insert(session());
        insert << _queries.insertGroup, use(name), use(groupValue);
        insert.execute();
    } catch (const Poco::Exception& e) {
        // The names differ (rowToAdd dropped repeats), yet the table holds
        // them as one: a groups table that ignores case.
        if (classify(e).kind == FailureKind::Duplicate)
            throw sdk::Error(RPORT_E_INVALID,
                             "user \"" + username + "\": group \"" + group +
                                 "\" clashes with another group of the user in a groups table "
                                 "that compares names without regard to case");
        throw;
    }
}

bool UserConnection::remove(std::string_view username) {
    std::string name(username);
    Transaction transaction(*this);
    Poco::Data::Statement removeUser(session());
    removeUser << _queries.removeUser, use(name);
    if (removeUser.execute() == 0) return false;  // rolled back: nothing changed
    Poco::Data::Statement removeGroups(session());
    removeGroups << _queries.removeGroups, use(name);
    removeGroups.execute();
    transaction.commit();
    return true;
}

}  // namespace rport::plugins::table
