// axios and got are not installed in this repository (the example is lint and codemod input, never run),
// so these are the smallest shapes of their public APIs that the example uses, enough to type-check it.

declare module 'axios' {
  export interface AxiosRequestConfig {
    baseURL?: string;
    url?: string;
    method?: string;
    headers?: Record<string, string>;
    params?: Record<string, string | number>;
    data?: unknown;
    /** Milliseconds; in Node a socket-idle timer, not a total deadline. `0` disables it (the default). */
    timeout?: number;
    signal?: AbortSignal;
    responseType?: 'json' | 'text' | 'arraybuffer' | 'stream';
  }

  export interface AxiosResponse<T = unknown> {
    data: T;
    status: number;
    headers: Record<string, string>;
  }

  export interface AxiosInstance {
    <T = unknown>(config: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    <T = unknown>(url: string, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    defaults: AxiosRequestConfig;
    get<T = unknown>(url: string, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    delete<T = unknown>(url: string, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    head<T = unknown>(url: string, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    post<T = unknown>(url: string, data?: unknown, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    put<T = unknown>(url: string, data?: unknown, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    patch<T = unknown>(url: string, data?: unknown, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
  }

  export interface AxiosStatic extends AxiosInstance {
    create(config?: AxiosRequestConfig): AxiosInstance;
  }

  const axios: AxiosStatic;
  export default axios;
}

declare module 'got' {
  export interface GotTimeouts {
    /** The only total deadline got has. */
    request?: number;
    lookup?: number;
    connect?: number;
    secureConnect?: number;
    socket?: number;
    send?: number;
    response?: number;
  }

  export interface GotOptions {
    method?: string;
    headers?: Record<string, string>;
    json?: unknown;
    searchParams?: Record<string, string | number>;
    timeout?: GotTimeouts;
    signal?: AbortSignal;
  }

  export interface GotResponsePromise extends Promise<{ statusCode: number; body: string }> {
    json<T>(): Promise<T>;
    text(): Promise<string>;
  }

  export interface Got {
    (url: string, options?: GotOptions): GotResponsePromise;
    get(url: string, options?: GotOptions): GotResponsePromise;
    post(url: string, options?: GotOptions): GotResponsePromise;
    extend(options: GotOptions): Got;
  }

  const got: Got;
  export default got;
}
