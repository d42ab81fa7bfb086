/**
 * English and Korean message tables. Every visible string goes through `t`, a store so that
 * switching the language re-renders every screen; the choice persists in localStorage.
 * The Korean table is typed against the English one, so a missing translation fails the build.
 */
import { derived, get, writable } from 'svelte/store';

const en = {
  'app.title': 'Attendance',
  'app.admin': 'Admin',
  'app.backToKiosk': 'Back to kiosk',
  'app.language': 'Language',
  'app.notReady': 'The kiosk is starting up…',
  'app.offline': 'Cannot reach the kiosk service',
  'app.status': 'Kiosk {id} · {count} enrolled',

  'kiosk.prompt': 'Look at the camera to clock in or out',
  'kiosk.stepCloser': 'Step a little closer',
  'kiosk.hold': 'Hold still…',
  'kiosk.identifying': 'Identifying…',
  'kiosk.other': 'Other ways to clock in',
  'kiosk.useVoice': 'Use voice',
  'kiosk.usePin': 'Use PIN',
  'kiosk.tryAgain': 'Try again',

  'result.in': 'IN',
  'result.out': 'OUT',
  'result.clockedIn': 'Clocked in at {time}',
  'result.clockedOut': 'Clocked out at {time}',
  'result.greeting.morning': 'Good morning, {name}',
  'result.greeting.afternoon': 'Good afternoon, {name}',
  'result.greeting.evening': 'Good evening, {name}',
  'result.confidence': 'Match {percent}%',
  'result.by.face': 'Face',
  'result.by.voice': 'Voice',
  'result.by.pin': 'PIN',
  'result.debounced': 'Already recorded at {time} — nothing new was written.',
  'result.notRecognised': 'Not recognised',
  'result.notRecognisedHelp': 'Try again, use voice, or use your PIN.',
  'result.reason.below_threshold': 'No enrolled employee matched.',
  'result.reason.ambiguous': 'The match was too close between two people.',
  'result.reason.no_enrolled_employees': 'No one is enrolled yet — ask an administrator.',
  'result.problem': 'Could not clock in',

  'voice.title': 'Clock in by voice',
  'voice.sayThis': 'Press the button, then read aloud:',
  'voice.start': 'Start speaking',
  'voice.listening': 'Listening…',
  'voice.checking': 'Checking your voice…',
  'voice.newPhrase': 'Another phrase',
  'voice.level': 'Microphone level',
  'voice.tooQuiet': 'We could hardly hear you — speak a little louder.',

  'pin.title': 'Clock in with PIN',
  'pin.code': 'Employee code',
  'pin.pin': 'PIN',
  'pin.delete': 'Delete',
  'pin.clear': 'Clear',
  'pin.submit': 'OK',
  'pin.next': 'Next',

  'device.camera.not_found': 'No camera found',
  'device.camera.denied': 'Camera permission denied — ask an administrator',
  'device.camera.in_use': 'The camera is in use by another program',
  'device.camera.unsupported': 'This window cannot use a camera',
  'device.camera.failed': 'The camera stopped working',
  'device.microphone.not_found': 'No microphone found',
  'device.microphone.denied': 'Microphone permission denied — ask an administrator',
  'device.microphone.in_use': 'The microphone is in use by another program',
  'device.microphone.unsupported': 'This window cannot use a microphone',
  'device.microphone.failed': 'The microphone stopped working',
  'device.fallback': 'You can still clock in with your PIN.',

  'admin.login.title': 'Administrator',
  'admin.login.prompt': 'Enter the admin PIN',
  'admin.login.submit': 'Sign in',
  'admin.logout': 'Sign out',
  'admin.sessionEnded': 'Your admin session ended — sign in again.',
  'admin.defaultPin': 'The admin PIN is still the first-run default. Change it now in Settings.',
  'admin.pin.heading': 'Admin PIN',
  'admin.pin.current': 'Current PIN',
  'admin.pin.new': 'New PIN (4–12 digits)',
  'admin.pin.repeat': 'New PIN again',
  'admin.pin.mismatch': 'The two new PINs differ.',
  'admin.pin.change': 'Change PIN',
  'admin.pin.changed': 'Admin PIN changed. Other admin sessions were signed out.',
  'admin.tab.employees': 'Employees',
  'admin.tab.settings': 'Settings',
  'admin.tab.reports': 'Reports',

  'common.cancel': 'Cancel',
  'common.confirm': 'Confirm',
  'common.close': 'Close',
  'common.save': 'Save',
  'common.saved': 'Saved',
  'common.loading': 'Loading…',
  'common.back': 'Back',
  'common.next': 'Next',
  'common.retry': 'Retry',

  'employees.add': 'Add employee',
  'employees.showInactive': 'Show inactive',
  'employees.col.name': 'Name',
  'employees.col.code': 'Code',
  'employees.col.department': 'Department',
  'employees.col.face': 'Face',
  'employees.col.voice': 'Voice',
  'employees.col.status': 'Status',
  'employees.col.actions': 'Actions',
  'employees.active': 'Active',
  'employees.inactive': 'Inactive',
  'employees.noConsent': 'No consent',
  'employees.empty': 'No employees yet.',
  'employees.reenroll': 'Re-enroll',
  'employees.deactivate': 'Deactivate',
  'employees.erase': 'Erase biometrics',
  'employees.confirm.reenroll.title': 'Re-enroll {name}?',
  'employees.confirm.reenroll.body': 'The current face and voice templates are removed and new ones are captured.',
  'employees.confirm.deactivate.title': 'Deactivate {name}?',
  'employees.confirm.deactivate.body': 'They can no longer clock in. Their biometric data is erased after the retention period.',
  'employees.confirm.erase.title': 'Erase all biometric data of {name}?',
  'employees.confirm.erase.body': 'Every face and voice template of this person is removed for good. Attendance history stays under their name.',
  'employees.erased': '{count} templates erased.',

  'wizard.title.new': 'New employee',
  'wizard.title.reenroll': 'Re-enroll {name}',
  'wizard.step.details': 'Details',
  'wizard.step.consent': 'Consent',
  'wizard.step.face': 'Face',
  'wizard.step.voice': 'Voice',
  'wizard.step.done': 'Done',
  'wizard.name': 'Full name (any script)',
  'wizard.code': 'Employee code',
  'wizard.department': 'Department',
  'wizard.pin': 'PIN for fallback (optional, 4–12 digits)',
  'wizard.create': 'Create and continue',
  'wizard.consent.heading': 'Consent to biometric processing',
  'wizard.consent.text':
    'To clock in and out by face and by voice, this kiosk stores mathematical templates computed from photos of your face and recordings of your voice. ' +
    'Photos and recordings themselves are not kept unless an administrator turns that on. The templates are encrypted, are used only for attendance, ' +
    'and are erased when you ask, or automatically after you leave. You may refuse and clock in with a PIN instead.',
  'wizard.consent.check': '{name} has read this and agrees',
  'wizard.consent.record': 'Record consent',
  'wizard.consent.required': 'No photo or recording is taken before consent is recorded.',
  'wizard.face.front': 'Look straight at the camera',
  'wizard.face.left': 'Turn your head slightly to the left',
  'wizard.face.right': 'Turn your head slightly to the right',
  'wizard.face.progress': 'Photo {n} of {total}',
  'wizard.face.capture': 'Take photo',
  'wizard.face.sending': 'Checking the photo…',
  'wizard.face.accepted': 'Photo accepted',
  'wizard.voice.say': 'Press Record, then read aloud:',
  'wizard.voice.record': 'Record',
  'wizard.voice.progress': 'Phrase {n} of {total}',
  'wizard.voice.accepted': 'Phrase accepted',
  'wizard.done.title': '{name} is enrolled',
  'wizard.done.summary': '{face} face templates and {voice} voice templates.',
  'wizard.finish': 'Finish',

  'settings.recognition': 'Recognition',
  'settings.thisKiosk': 'This kiosk',
  'settings.devicesNote': 'Camera and microphone are chosen for this kiosk only.',
  'settings.camera': 'Camera',
  'settings.microphone': 'Microphone',
  'settings.defaultDevice': 'System default',
  'settings.key.faceThreshold': 'Face match threshold',
  'settings.key.faceMargin': 'Face match margin',
  'settings.key.voiceThreshold': 'Voice match threshold',
  'settings.key.voiceMargin': 'Voice match margin',
  'settings.key.debounceMinutes': 'Ignore repeat punches within (minutes)',
  'settings.key.livenessMode': 'Face liveness check',
  'settings.key.retentionDays': 'Erase biometrics of deactivated staff after (days)',
  'settings.key.storeRawCaptures': 'Keep raw photos and audio',
  'settings.liveness.off': 'Off',
  'settings.liveness.passive': 'Passive',
  'settings.liveness.challenge': 'Challenge',

  'reports.from': 'From',
  'reports.to': 'To',
  'reports.employee': 'Employee',
  'reports.allEmployees': 'All employees',
  'reports.show': 'Show',
  'reports.download': 'Download CSV',
  'reports.col.day': 'Date',
  'reports.col.employee': 'Employee',
  'reports.col.firstIn': 'First in',
  'reports.col.lastOut': 'Last out',
  'reports.col.hours': 'Hours',
  'reports.chart': 'Hours per day',
  'reports.total': 'Total',
  'reports.empty': 'No attendance in this period.',
  'reports.badRange': 'The start date must not be after the end date.',

  'error.NO_FACE': 'No face found — look at the camera.',
  'error.LIVENESS_FAILED': 'This looks like a picture, not a live face — look at the camera, blink and try again.',
  'error.CHALLENGE_EXPIRED': 'That instruction has expired — try again.',
  'error.MULTIPLE_FACES': 'More than one face — only one person in view, please.',
  'error.FACE_TOO_SMALL': 'Face too small — step closer to the camera.',
  'error.TOO_DARK': 'Too dark — add light in front of the face.',
  'error.OVEREXPOSED': 'Too bright — avoid strong light on or behind the face.',
  'error.BLURRED': 'Blurred — hold still for a moment.',
  'error.STRONG_POSE': 'Head turned too far — turn only slightly.',
  'error.NO_SPEECH': 'No speech heard — read the phrase clearly.',
  'error.SPEECH_TOO_SHORT': 'Too little speech — read the whole phrase.',
  'error.CLIPPING': 'Too loud — move a little away from the microphone.',
  'error.TOO_QUIET': 'Too quiet — speak louder or come closer.',
  'error.BAD_AUDIO': 'The recording could not be used — try again.',
  'error.CORRUPT_AUDIO': 'The recording could not be used — try again.',
  'error.CORRUPT_IMAGE': 'The camera image could not be used — try again.',
  'error.BAD_FRAME': 'The camera image could not be used — try again.',
  'error.NOT_FOUND': 'Not found — it may have been removed.',
  'error.NETWORK': 'Cannot reach the kiosk service.',
  'error.TIMEOUT': 'The kiosk service took too long to answer.',
  'error.PIN_REJECTED': 'Employee code or PIN is wrong.',
  'error.LOCKED_OUT': 'Too many wrong attempts — try again in {minutes} min.',
  'error.PHRASE_EXPIRED': 'That phrase has expired — please read the new one.',
  'error.VOICE_UNAVAILABLE': 'Voice clock-in is not available on this kiosk.',
  'error.CONSENT_REQUIRED': 'Record the consent before taking photos or recordings.',
  'error.INTERNAL': 'Something went wrong inside the kiosk — please try again.',
  'admin.login.UNAUTHORIZED': 'Wrong admin PIN.',
  'admin.pin.UNAUTHORIZED': 'The current admin PIN is wrong.',
  'wizard.details.DUPLICATE': 'That employee code is already in use.',
  'wizard.face.DUPLICATE': 'This face already matches {name} ({code}) — enrollment refused.',
};

export type MessageKey = keyof typeof en;
export const MESSAGE_KEYS = Object.keys(en) as MessageKey[];

const ko: Record<MessageKey, string> = {
  'app.title': '출퇴근 기록',
  'app.admin': '관리자',
  'app.backToKiosk': '키오스크로 돌아가기',
  'app.language': '언어',
  'app.notReady': '키오스크를 준비하는 중입니다…',
  'app.offline': '키오스크 서비스에 연결할 수 없습니다',
  'app.status': '키오스크 {id} · 등록 {count}명',

  'kiosk.prompt': '출퇴근을 기록하려면 카메라를 바라봐 주세요',
  'kiosk.stepCloser': '조금 더 가까이 와 주세요',
  'kiosk.hold': '잠시 그대로 계세요…',
  'kiosk.identifying': '확인하는 중입니다…',
  'kiosk.other': '다른 방법으로 기록하기',
  'kiosk.useVoice': '음성으로 기록',
  'kiosk.usePin': 'PIN으로 기록',
  'kiosk.tryAgain': '다시 시도',

  'result.in': '출근',
  'result.out': '퇴근',
  'result.clockedIn': '{time} 출근 기록',
  'result.clockedOut': '{time} 퇴근 기록',
  'result.greeting.morning': '{name}님, 좋은 아침입니다',
  'result.greeting.afternoon': '{name}님, 안녕하세요',
  'result.greeting.evening': '{name}님, 좋은 저녁입니다',
  'result.confidence': '일치도 {percent}%',
  'result.by.face': '얼굴',
  'result.by.voice': '음성',
  'result.by.pin': 'PIN',
  'result.debounced': '{time}에 이미 기록되어 새로 기록하지 않았습니다.',
  'result.notRecognised': '인식되지 않았습니다',
  'result.notRecognisedHelp': '다시 시도하거나 음성 또는 PIN을 사용해 주세요.',
  'result.reason.below_threshold': '일치하는 등록 직원이 없습니다.',
  'result.reason.ambiguous': '두 사람과 비슷하게 일치하여 판단할 수 없습니다.',
  'result.reason.no_enrolled_employees': '아직 등록된 직원이 없습니다. 관리자에게 문의하세요.',
  'result.problem': '기록하지 못했습니다',

  'voice.title': '음성으로 출퇴근 기록',
  'voice.sayThis': '버튼을 누른 뒤 다음 문장을 소리 내어 읽어 주세요:',
  'voice.start': '말하기 시작',
  'voice.listening': '듣고 있습니다…',
  'voice.checking': '목소리를 확인하는 중입니다…',
  'voice.newPhrase': '다른 문장',
  'voice.level': '마이크 음량',
  'voice.tooQuiet': '소리가 거의 들리지 않습니다. 조금 더 크게 말해 주세요.',

  'pin.title': 'PIN으로 출퇴근 기록',
  'pin.code': '사원 번호',
  'pin.pin': 'PIN',
  'pin.delete': '한 글자 지우기',
  'pin.clear': '전체 지우기',
  'pin.submit': '확인',
  'pin.next': '다음',

  'device.camera.not_found': '카메라를 찾을 수 없습니다',
  'device.camera.denied': '카메라 권한이 거부되었습니다. 관리자에게 문의하세요',
  'device.camera.in_use': '다른 프로그램이 카메라를 사용하고 있습니다',
  'device.camera.unsupported': '이 창에서는 카메라를 사용할 수 없습니다',
  'device.camera.failed': '카메라가 작동하지 않습니다',
  'device.microphone.not_found': '마이크를 찾을 수 없습니다',
  'device.microphone.denied': '마이크 권한이 거부되었습니다. 관리자에게 문의하세요',
  'device.microphone.in_use': '다른 프로그램이 마이크를 사용하고 있습니다',
  'device.microphone.unsupported': '이 창에서는 마이크를 사용할 수 없습니다',
  'device.microphone.failed': '마이크가 작동하지 않습니다',
  'device.fallback': 'PIN으로는 계속 기록할 수 있습니다.',

  'admin.login.title': '관리자',
  'admin.login.prompt': '관리자 PIN을 입력하세요',
  'admin.login.submit': '로그인',
  'admin.logout': '로그아웃',
  'admin.sessionEnded': '관리자 세션이 끝났습니다. 다시 로그인하세요.',
  'admin.defaultPin': '관리자 PIN이 아직 초기값입니다. 설정에서 지금 바꿔 주세요.',
  'admin.pin.heading': '관리자 PIN',
  'admin.pin.current': '현재 PIN',
  'admin.pin.new': '새 PIN (숫자 4–12자리)',
  'admin.pin.repeat': '새 PIN 다시 입력',
  'admin.pin.mismatch': '새 PIN 두 개가 서로 다릅니다.',
  'admin.pin.change': 'PIN 변경',
  'admin.pin.changed': '관리자 PIN을 바꿨습니다. 다른 관리자 세션은 로그아웃되었습니다.',
  'admin.tab.employees': '직원',
  'admin.tab.settings': '설정',
  'admin.tab.reports': '보고서',

  'common.cancel': '취소',
  'common.confirm': '확인',
  'common.close': '닫기',
  'common.save': '저장',
  'common.saved': '저장했습니다',
  'common.loading': '불러오는 중…',
  'common.back': '이전',
  'common.next': '다음',
  'common.retry': '다시 시도',

  'employees.add': '직원 추가',
  'employees.showInactive': '비활성 직원 표시',
  'employees.col.name': '이름',
  'employees.col.code': '사원 번호',
  'employees.col.department': '부서',
  'employees.col.face': '얼굴',
  'employees.col.voice': '음성',
  'employees.col.status': '상태',
  'employees.col.actions': '작업',
  'employees.active': '활성',
  'employees.inactive': '비활성',
  'employees.noConsent': '동의 없음',
  'employees.empty': '등록된 직원이 없습니다.',
  'employees.reenroll': '재등록',
  'employees.deactivate': '비활성화',
  'employees.erase': '생체 정보 삭제',
  'employees.confirm.reenroll.title': '{name}님을 재등록할까요?',
  'employees.confirm.reenroll.body': '현재 얼굴 및 음성 템플릿을 삭제하고 새로 등록합니다.',
  'employees.confirm.deactivate.title': '{name}님을 비활성화할까요?',
  'employees.confirm.deactivate.body': '더 이상 출퇴근을 기록할 수 없습니다. 생체 정보는 보관 기간이 지나면 삭제됩니다.',
  'employees.confirm.erase.title': '{name}님의 생체 정보를 모두 삭제할까요?',
  'employees.confirm.erase.body': '이 사람의 얼굴 및 음성 템플릿이 모두 영구 삭제됩니다. 출퇴근 기록은 이름과 함께 남습니다.',
  'employees.erased': '템플릿 {count}개를 삭제했습니다.',

  'wizard.title.new': '새 직원 등록',
  'wizard.title.reenroll': '{name}님 재등록',
  'wizard.step.details': '정보',
  'wizard.step.consent': '동의',
  'wizard.step.face': '얼굴',
  'wizard.step.voice': '음성',
  'wizard.step.done': '완료',
  'wizard.name': '이름 (모든 문자 가능)',
  'wizard.code': '사원 번호',
  'wizard.department': '부서',
  'wizard.pin': '대체용 PIN (선택, 숫자 4–12자리)',
  'wizard.create': '만들고 계속하기',
  'wizard.consent.heading': '생체 정보 처리 동의',
  'wizard.consent.text':
    '얼굴과 음성으로 출퇴근을 기록하기 위해, 이 키오스크는 얼굴 사진과 음성 녹음에서 계산한 수학적 템플릿을 저장합니다. ' +
    '관리자가 따로 설정하지 않는 한 사진과 녹음 자체는 보관하지 않습니다. 템플릿은 암호화되어 출퇴근 기록에만 사용되며, ' +
    '요청하시거나 퇴사 후에는 자동으로 삭제됩니다. 동의하지 않으셔도 PIN으로 출퇴근을 기록할 수 있습니다.',
  'wizard.consent.check': '{name}님이 위 내용을 읽고 동의합니다',
  'wizard.consent.record': '동의 기록',
  'wizard.consent.required': '동의를 기록하기 전에는 사진을 찍거나 녹음하지 않습니다.',
  'wizard.face.front': '카메라를 정면으로 바라봐 주세요',
  'wizard.face.left': '고개를 왼쪽으로 살짝 돌려 주세요',
  'wizard.face.right': '고개를 오른쪽으로 살짝 돌려 주세요',
  'wizard.face.progress': '사진 {n}/{total}',
  'wizard.face.capture': '사진 찍기',
  'wizard.face.sending': '사진을 확인하는 중…',
  'wizard.face.accepted': '사진이 등록되었습니다',
  'wizard.voice.say': '녹음 버튼을 누른 뒤 다음 문장을 소리 내어 읽어 주세요:',
  'wizard.voice.record': '녹음',
  'wizard.voice.progress': '문장 {n}/{total}',
  'wizard.voice.accepted': '문장이 등록되었습니다',
  'wizard.done.title': '{name}님 등록을 마쳤습니다',
  'wizard.done.summary': '얼굴 템플릿 {face}개, 음성 템플릿 {voice}개',
  'wizard.finish': '마치기',

  'settings.recognition': '인식',
  'settings.thisKiosk': '이 키오스크',
  'settings.devicesNote': '카메라와 마이크 선택은 이 키오스크에만 적용됩니다.',
  'settings.camera': '카메라',
  'settings.microphone': '마이크',
  'settings.defaultDevice': '시스템 기본 장치',
  'settings.key.faceThreshold': '얼굴 일치 기준값',
  'settings.key.faceMargin': '얼굴 일치 차이값',
  'settings.key.voiceThreshold': '음성 일치 기준값',
  'settings.key.voiceMargin': '음성 일치 차이값',
  'settings.key.debounceMinutes': '중복 기록 무시 시간 (분)',
  'settings.key.livenessMode': '얼굴 위조 방지 검사',
  'settings.key.retentionDays': '비활성 직원의 생체 정보 삭제까지 (일)',
  'settings.key.storeRawCaptures': '원본 사진과 음성 보관',
  'settings.liveness.off': '사용 안 함',
  'settings.liveness.passive': '자동 감지',
  'settings.liveness.challenge': '동작 요청',

  'reports.from': '시작일',
  'reports.to': '종료일',
  'reports.employee': '직원',
  'reports.allEmployees': '전체 직원',
  'reports.show': '조회',
  'reports.download': 'CSV 다운로드',
  'reports.col.day': '날짜',
  'reports.col.employee': '직원',
  'reports.col.firstIn': '첫 출근',
  'reports.col.lastOut': '마지막 퇴근',
  'reports.col.hours': '근무 시간',
  'reports.chart': '일별 근무 시간',
  'reports.total': '합계',
  'reports.empty': '이 기간에는 출퇴근 기록이 없습니다.',
  'reports.badRange': '시작일이 종료일보다 늦을 수 없습니다.',

  'error.NO_FACE': '얼굴이 보이지 않습니다. 카메라를 바라봐 주세요.',
  'error.LIVENESS_FAILED': '실제 얼굴이 아닌 사진으로 보입니다. 카메라를 보고 눈을 깜박인 뒤 다시 시도해 주세요.',
  'error.CHALLENGE_EXPIRED': '안내 시간이 지났습니다. 다시 시도해 주세요.',
  'error.MULTIPLE_FACES': '여러 얼굴이 보입니다. 한 사람만 화면에 있어야 합니다.',
  'error.FACE_TOO_SMALL': '얼굴이 너무 작습니다. 카메라에 더 가까이 와 주세요.',
  'error.TOO_DARK': '너무 어둡습니다. 얼굴 쪽을 밝게 해 주세요.',
  'error.OVEREXPOSED': '너무 밝습니다. 얼굴 앞뒤의 강한 조명을 피해 주세요.',
  'error.BLURRED': '사진이 흐립니다. 잠시 움직이지 말아 주세요.',
  'error.STRONG_POSE': '고개가 너무 많이 돌아갔습니다. 살짝만 돌려 주세요.',
  'error.NO_SPEECH': '말소리가 들리지 않습니다. 문장을 또렷하게 읽어 주세요.',
  'error.SPEECH_TOO_SHORT': '말한 시간이 너무 짧습니다. 문장 전체를 읽어 주세요.',
  'error.CLIPPING': '소리가 너무 큽니다. 마이크에서 조금 떨어져 주세요.',
  'error.TOO_QUIET': '소리가 너무 작습니다. 더 크게 말하거나 가까이 와 주세요.',
  'error.BAD_AUDIO': '녹음을 사용할 수 없습니다. 다시 시도해 주세요.',
  'error.CORRUPT_AUDIO': '녹음을 사용할 수 없습니다. 다시 시도해 주세요.',
  'error.CORRUPT_IMAGE': '카메라 영상을 사용할 수 없습니다. 다시 시도해 주세요.',
  'error.BAD_FRAME': '카메라 영상을 사용할 수 없습니다. 다시 시도해 주세요.',
  'error.NOT_FOUND': '찾을 수 없습니다. 이미 삭제되었을 수 있습니다.',
  'error.NETWORK': '키오스크 서비스에 연결할 수 없습니다.',
  'error.TIMEOUT': '키오스크 서비스의 응답이 너무 늦습니다.',
  'error.PIN_REJECTED': '사원 번호 또는 PIN이 올바르지 않습니다.',
  'error.LOCKED_OUT': '잘못된 시도가 너무 많습니다. {minutes}분 후에 다시 시도하세요.',
  'error.PHRASE_EXPIRED': '문장의 유효 시간이 지났습니다. 새 문장을 읽어 주세요.',
  'error.VOICE_UNAVAILABLE': '이 키오스크에서는 음성 기록을 사용할 수 없습니다.',
  'error.CONSENT_REQUIRED': '사진을 찍거나 녹음하기 전에 동의를 기록하세요.',
  'error.INTERNAL': '키오스크 내부에 문제가 생겼습니다. 다시 시도해 주세요.',
  'admin.login.UNAUTHORIZED': '관리자 PIN이 올바르지 않습니다.',
  'admin.pin.UNAUTHORIZED': '현재 관리자 PIN이 올바르지 않습니다.',
  'wizard.details.DUPLICATE': '이미 사용 중인 사원 번호입니다.',
  'wizard.face.DUPLICATE': '이 얼굴은 이미 {name}({code})님과 일치합니다. 등록할 수 없습니다.',
};

/** Version of `wizard.consent.text` (both languages) recorded with each consent; bump it when the text changes. */
export const CONSENT_TEXT_VERSION = 'consent-v1';

export type Locale = 'en' | 'ko';
export const LOCALES: readonly Locale[] = ['en', 'ko'];
const tables: Record<Locale, Record<MessageKey, string>> = { en, ko };
const STORAGE_KEY = 'kiosk.locale';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function translate(lang: Locale, key: MessageKey, params?: Params): string {
  const template = tables[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function storedLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ko') return saved;
  } catch {
    // No storage: fall through to the browser language.
  }
  return typeof navigator !== 'undefined' && navigator.language?.startsWith('ko') ? 'ko' : 'en';
}

export const locale = writable<Locale>(storedLocale());

locale.subscribe((lang) => {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // The choice then lasts for this session only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
});

export const t = derived(locale, (lang): Translate => (key, params) => translate(lang, key, params));

/** The current translator, for code outside components. */
export function currentT(): Translate {
  return get(t);
}

/** BCP 47 tag for Intl formatting of the current language. */
export function intlLocale(lang: Locale): string {
  return lang === 'ko' ? 'ko-KR' : 'en-GB';
}
