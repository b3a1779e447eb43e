// The descriptor of the static plugin: the same store serves client
// credentials and API users. It never changes after create, so it is safe to
// call from many threads at once.
#include "StaticStore.h"

using rport::plugins::static_auth::StaticStore;

RPORT_PLUGIN("static", "1.0.0",
             rport::sdk::authBackend<StaticStore>(RPORT_KIND_CLIENT_AUTH, "static", RPORT_BACKEND_THREADSAFE),
             rport::sdk::authBackend<StaticStore>(RPORT_KIND_API_AUTH, "static", RPORT_BACKEND_THREADSAFE))
