; lm978's 81-byte "Hello, world!\n" for 4-level paging, rebuilt from the hex dump published in
; tmp.0ut vol. 3, article 22, "Cramming a Tiny Program into a Tiny ELF File: A Case Study"
; (https://tmpout.sh/3/22.html, section "Hello World in the Real World"). golf's own reading of
; the published bytes, written for `nasm -f bin` (and `golf asm`); the comments are golf's.
;
; ET_DYN, program header at offset 0x0c overlapping the ELF header. Entry is offset 0, where the
; magic's 7f 45 decodes as `jg` to 0x47. One loop runs twice: the first pass writes the string,
; the second calls exit_group(0). The string is split over two holes and joined on the stack.
BITS 64
org 0
        jg      loop_end                ; 7f 45: e_ident magic, executed as a branch
        db      "LF"                    ; rest of the magic
        db      "Hello, w"              ; e_ident[4..11]: the string's first 8 bytes (byte 0x0b
                                        ; is "W" in the variant lm978-hello-W-81)
        dd      1                       ; e_ident[12..15] = p_type: PT_LOAD
        dw      3                       ; e_type ET_DYN        = p_flags low: W+X
        dw      62                      ; e_machine x86-64     = p_flags high
        dd      0x0c                    ; e_version            = p_offset low
        dd      0                       ; e_entry low          = p_offset high
        dd      0x0c                    ; e_entry high (entry = offset 0 + bias) = p_vaddr low
        dq      0x0c                    ; e_phoff = 0x0c, its low half also p_vaddr high
top:                                    ; 0x28, e_shoff / p_paddr: free
        xchg    ebx, eax                ; pass 1: eax = 0 (read's result), pass 2: 0xe6
        mov     dl, 14                  ; count
        cmp     al, 0xf4                ; sets CF; 0xf4 is p_filesz's low byte
        pop     rdi                     ; pass 1: argc = 1 (stdout), pass 2: the 0 pushed below
        nop
        adc     eax, strict dword 0     ; eax += 1: write (1), then exit_group (231); the four
                                        ; zero bytes end p_filesz = 0x15905ff4
        jmp     short pushes            ; 0x34: p_memsz = 0x1003806eb starts here
        dw      56                      ; e_phentsize
        dw      1                       ; e_phnum
        dw      0                       ; e_shentsize (p_memsz high bytes)
pushes:                                 ; 0x3c: p_align (not a power of two: ignored)
        push    qword [rcx + 2]         ; "orld!\n" and two zero bytes from past EOF
        push    qword [rcx - 0x45]      ; "Hello, w" from e_ident
        push    rsp
        pop     rsi                     ; buffer = the joined string on the stack
        mov     bl, 0xe6                ; 230 for the second pass
        push    rbp                     ; 0, the second pass's exit status
loop_end:                               ; 0x47, the entry jump's target
        syscall                         ; read(0, NULL, 0), then write, then exit_group
        jmp     short top
        db      "orld!", 10             ; 0x4b: the string's second part
