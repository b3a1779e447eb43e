#pragma once
// Every SQL text the client-auth backend runs against its table. Built once at create;
// values always travel as bound parameters, only the validated and quoted
// table name is spliced in.
#include <string>

#include "DatabaseSettings.h"
#include "TableName.h"

namespace rport::plugins::table {

struct ClientQueries {
    std::string get;     // ? = id
    std::string insert;  // ? = id, password
    std::string remove;  // ? = id
    std::string probe;   // no rows; fails when the table or its columns are missing
    std::string createTable;
    std::string selectAll;  // + WHERE + orderById + " LIMIT ? OFFSET ?"
    std::string countAll;   // + WHERE
    std::string orderById;  // must give byte order, as the other stores do

    static ClientQueries forTable(const TableName& table, DbType type);
};

// The DDL users are told to run (also what create_tables runs).
std::string createTableSql(const TableName& table, DbType type);

}  // namespace rport::plugins::table
