package org.berth.storage;

import org.berth.storage.driver.s3.S3ProxyServer;

class DriverBlobStoreOnS3Test extends BlobStoreContract {

    @Override
    protected BlobStore newStore() throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        return new DriverBlobStore(S3ProxyServer.driver(server.settings(server.newBucket())));
    }
}
