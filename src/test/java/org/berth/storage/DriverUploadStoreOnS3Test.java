package org.berth.storage;

import org.berth.storage.driver.StorageDriver;
import org.berth.storage.driver.s3.S3ProxyServer;
import org.berth.storage.driver.s3.S3Settings;

/** The driver upload store on S3 (S3Proxy on loopback): multipart uploads continued by any node. */
class DriverUploadStoreOnS3Test extends DriverUploadStoreContract {

    private S3Settings settings;

    @Override
    protected StorageDriver newDriver() throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        settings = server.settings(server.newBucket());
        return S3ProxyServer.driver(settings);
    }

    @Override
    protected StorageDriver sameStorage() {
        return S3ProxyServer.driver(settings);
    }
}
