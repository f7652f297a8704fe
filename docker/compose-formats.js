// The formats compose-go (the parser of Compose v2) gives the Compose
// Specification's JSON schema, for ajv-cli (docker/check-compose -c).
'use strict';

module.exports = function (ajv) {
	// Go's time.ParseDuration: 1s, 1m30s, 250ms, ...
	ajv.addFormat('duration', /^[-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$|^0$/);
	// compose-go accepts any string here and parses it later.
	ajv.addFormat('expose', /^/);
	ajv.addFormat('ports', /^/);
	// An address with its prefix, IPv4 or IPv6.
	ajv.addFormat('subnet_ip_address', /^([0-9.]+|[0-9a-fA-F:.]+)\/[0-9]{1,3}$/);
	return ajv;
};
