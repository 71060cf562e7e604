/**
 * backup.info exactly as pgBackRest 2.45 wrote it (toolchain notes §5.2/§5.5): the diff ran with TZ=America/Toronto,
 * so its label (…_20261203-073435D) reads five hours before its own full although it finished 2 s after it.
 */
export const BACKUP_INFO_245 = `[backrest]
backrest-format=5
backrest-version="2.45"

[backup:current]
20261203-123431F={"backrest-format":5,"backrest-version":"2.45","backup-archive-start":"000000010000000000000002","backup-archive-stop":"000000010000000000000003","backup-error":false,"backup-info-repo-size":3043471,"backup-info-repo-size-delta":3043471,"backup-info-size":22992623,"backup-info-size-delta":22992623,"backup-lsn-start":"0/2000028","backup-lsn-stop":"0/3000050","backup-timestamp-start":1796301271,"backup-timestamp-stop":1796301274,"backup-type":"full","db-id":1,"option-archive-check":true,"option-archive-copy":false,"option-backup-standby":false,"option-checksum-page":false,"option-compress":true,"option-hardlink":false,"option-online":true}
20261203-123431F_20261203-073435D={"backrest-format":5,"backrest-version":"2.45","backup-archive-start":"000000010000000000000009","backup-archive-stop":"000000010000000000000009","backup-error":false,"backup-info-repo-size":4043438,"backup-info-repo-size-delta":1167829,"backup-info-size":51279599,"backup-info-size-delta":29794570,"backup-lsn-start":"0/9000028","backup-lsn-stop":"0/9000100","backup-prior":"20261203-123431F","backup-reference":["20261203-123431F"],"backup-timestamp-start":1796301275,"backup-timestamp-stop":1796301276,"backup-type":"diff","db-id":1,"option-archive-check":true,"option-archive-copy":false,"option-backup-standby":false,"option-checksum-page":false,"option-compress":true,"option-hardlink":false,"option-online":true}

[db]
db-catalog-version=202209061
db-control-version=1300
db-id=1
db-system-id=7715055160074999140
db-version="15"

[db:history]
1={"db-catalog-version":202209061,"db-control-version":1300,"db-system-id":7715055160074999140,"db-version":"15"}

[backrest]
backrest-checksum="1ccdd458c382860c2bf7c766a65fbb22c2d43697"
`;
